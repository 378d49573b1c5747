package dev.tether.store;

import dev.tether.session.Instances;
import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.postgres.PostgresInstances;
import dev.tether.store.postgres.PostgresSessionStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.sqlite.SqliteInstances;
import dev.tether.store.sqlite.SqliteSessionStore;
import dev.tether.support.InMemorySessionStore;
import dev.tether.support.TestPostgres;
import java.nio.file.Path;

/** The stores the contract ({@link SessionStoreContract}) runs against. */
enum StoreKind {
    /** The shipped store: SQLite in WAL mode with group commit, on a fresh file. */
    SQLITE {
        @Override
        Opened open(Path dir) {
            Database database = SqliteDatabase.open(dir.resolve("tether.db"));
            return new Opened(new SqliteSessionStore(database.executor()), new SqliteInstances(database.executor()),
                    null, database::close);
        }
    },
    /**
     * PostgreSQL, on a database of the test's own (see {@link TestPostgres}): transactions run
     * concurrently, serialised per session by row locks instead of a single writer.
     */
    POSTGRESQL {
        @Override
        Opened open(Path dir) {
            TestPostgres.Fresh fresh = TestPostgres.database();
            PostgresDatabase database;
            try {
                database = PostgresDatabase.open(fresh.jdbcUrl(), TestPostgres.USER, null);
            } catch (RuntimeException e) {
                fresh.close();
                throw e;
            }
            return new Opened(new PostgresSessionStore(database.executor()), new PostgresInstances(database.executor()),
                    fresh.jdbcUrl(), () -> {
                database.close();
                fresh.close();
            });
        }
    },
    /** The tests' in-memory store, used where JDBC is far too slow (model checking): it must behave the same. */
    IN_MEMORY {
        @Override
        Opened open(Path dir) {
            return new Opened(new InMemorySessionStore(), null, null, () -> { });
        }
    };

    abstract Opened open(Path dir);

    /** An open store, its instances (null where it keeps none), its JDBC URL (PostgreSQL only) and what closes it. */
    record Opened(SessionStore store, Instances instances, String jdbcUrl, Runnable close) {}
}
