package dev.tether.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The store a test's server runs on, chosen for the whole test JVM by the system property
 * {@code tether.test.store}: {@code sqlite} (the default: {@code tether.db} in the server's data
 * dir) or {@code postgresql} (a fresh database of the server's own, see {@link TestPostgres},
 * dropped when this closes). {@code bin/test} runs the scenario and torture suites once with each.
 */
public sealed interface TestStore extends AutoCloseable {
    String PROPERTY = "tether.test.store";

    /** The store for a server on {@code dataDir}: a new PostgreSQL database when PostgreSQL is chosen. */
    static TestStore chosen(Path dataDir) {
        String kind = System.getProperty(PROPERTY, "sqlite");
        return switch (kind) {
            case "sqlite" -> new Sqlite(dataDir.resolve("tether.db"));
            case "postgresql" -> new Postgres(TestPostgres.database());
            default -> throw new IllegalArgumentException(PROPERTY + " must be sqlite or postgresql, not " + kind);
        };
    }

    /** The settings that point a server at this store (none for SQLite: it is the default). */
    Map<String, String> settings();

    /** A connection of the test's own, for reading what the server wrote. */
    Connection connect() throws SQLException;

    @Override
    void close();

    /** SQLite in the data dir: the server's default. */
    record Sqlite(Path file) implements TestStore {
        @Override
        public Map<String, String> settings() {
            return Map.of();
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:sqlite:" + file);
        }

        @Override
        public void close() {
            // the file goes with the test's temporary data dir
        }
    }

    /** A database of the test's own on the tests' PostgreSQL. */
    record Postgres(TestPostgres.Fresh database) implements TestStore {
        @Override
        public Map<String, String> settings() {
            return Map.of("TETHER_DATABASE_URL",
                    "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + database.port() + "/" + database.name());
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(database.jdbcUrl(), TestPostgres.USER, null);
        }

        @Override
        public void close() {
            database.close();
        }
    }
}
