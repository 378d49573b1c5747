package dev.tether.store.migrate;

import dev.tether.config.CannotStart;
import dev.tether.config.DatabaseUrl;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.sqlite.DataDirLock;
import dev.tether.store.sqlite.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Moves a SQLite store ({@code tether.db} in a data dir) into an empty PostgreSQL database: the
 * schema by PostgreSQL's own migrations, then every row of every table in {@link Tables}, in one
 * transaction that commits only if each table read back from PostgreSQL has the count and digest
 * read from SQLite. It holds the data dir's lock and the database's owner lock throughout, as a
 * server would, so it cannot run beside a server on either. Attachment files are not moved: the
 * PostgreSQL server keeps them in the same data dir.
 */
public final class SqliteToPostgres {
    private final Path sqliteFile;
    private final DatabaseUrl target;
    private final Consumer<String> progress;

    private SqliteToPostgres(Path sqliteFile, DatabaseUrl target, Consumer<String> progress) {
        this.sqliteFile = sqliteFile.toAbsolutePath();
        this.target = target;
        this.progress = progress;
    }

    /**
     * Runs the migration, telling {@code progress} what it does, one line at a time.
     *
     * @throws MigrationFailed it was refused or failed, and nothing was written to the target
     */
    public static MigrationOutcome run(Path sqliteFile, DatabaseUrl target, Consumer<String> progress) {
        return new SqliteToPostgres(sqliteFile, target, progress).run();
    }

    private MigrationOutcome run() {
        if (!Files.isRegularFile(sqliteFile)) {
            throw new MigrationFailed("no SQLite file at " + sqliteFile);
        }
        Path dataDir = sqliteFile.getParent();
        try (DataDirLock dirLock = lockDataDir(dataDir)) {
            boolean behind = SourceCheck.check(sqliteFile);
            // An empty target is one no server uses: a server creates the schema when it starts.
            TargetCheck.requireEmpty(target);
            if (behind) {
                progress.accept("Upgrading the schema of " + sqliteFile + " first, as this version's server would");
                SqliteDatabase.open(sqliteFile).close();
                SourceCheck.check(sqliteFile);
            }
            long began = System.nanoTime();
            createSchema();
            progress.accept("Created the schema in " + target.shown() + " in " + millisSince(began) + " ms");
            return copy(dataDir.resolve("attachments"));
        }
    }

    private DataDirLock lockDataDir(Path dataDir) {
        try {
            return DataDirLock.acquire(dataDir);
        } catch (DataDirLock.InUse e) {
            throw new MigrationFailed(e.getMessage() + "; stop it (or migrate a copy of the data dir) and run this again", e);
        } catch (CannotStart e) {
            throw new MigrationFailed(e.getMessage(), e);
        }
    }

    private void createSchema() {
        try {
            PostgresDatabase.open(target.jdbcUrl(), target.user().orElse(null), target.password().orElse(null)).close();
        } catch (RuntimeException e) {
            throw new MigrationFailed("cannot create the schema in " + target.shown() + ": " + firstLine(e), e);
        }
    }

    private MigrationOutcome copy(Path attachmentDir) {
        String table = "";
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
             Connection postgres = connect(target, "tether migrate")) {
            sqlite.setAutoCommit(false); // one read transaction: one snapshot of the source
            postgres.setAutoCommit(false);
            TableCopy tables = new TableCopy(sqlite, postgres);
            List<TableDigest.Summary> read = new ArrayList<>();
            for (Table t : Tables.COPIED) {
                table = t.name();
                long began = System.nanoTime();
                TableCopy.Copied copied = tables.copy(t);
                read.add(copied.read());
                progress.accept("Copied " + t.name() + ": " + copied.read().rows() + " rows in " + millisSince(began) + " ms"
                        + (copied.nulsReplaced() == 0 ? "" : " (" + copied.nulsReplaced() + " text values held U+0000,"
                        + " which PostgreSQL cannot store: written with U+FFFD in its place)"));
            }
            table = "turns";
            tables.continueJournalKeys();
            long began = System.nanoTime();
            List<TableResult> results = new ArrayList<>();
            for (int i = 0; i < Tables.COPIED.size(); i++) {
                table = Tables.COPIED.get(i).name();
                results.add(TableResult.of(table, read.get(i), tables.readBack(Tables.COPIED.get(i))));
            }
            progress.accept("Read every table back from PostgreSQL in " + millisSince(began) + " ms");
            for (TableResult r : results) {
                if (!r.matches()) {
                    postgres.rollback();
                    return new MigrationOutcome.Mismatch(results, r);
                }
            }
            long[] files = AttachmentCount.of(sqlite, attachmentDir);
            table = "";
            postgres.commit();
            return new MigrationOutcome.Verified(results, attachmentDir, files[0], files[1]);
        } catch (SQLException e) {
            // closing the connection without a commit rolls the transaction back
            throw new MigrationFailed((table.isEmpty() ? "migrating failed: " : "copying " + table + " failed: ")
                    + firstLine(cause(e)) + "; nothing was written to " + target.shown(), e);
        }
    }

    /** A plain connection of the migration's own (not pooled), named {@code application} on the server. */
    static Connection connect(DatabaseUrl url, String application) throws SQLException {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", application);
        p.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    /**
     * The server's own error: a failed batch's message quotes the batch's statement with its row's
     * values (a password hash, a token's hash, someone's message), which are not for a terminal.
     */
    private static SQLException cause(SQLException e) {
        return e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).trim();
    }

    /** How many attachment rows have their file in the data dir, and how many do not. */
    private static final class AttachmentCount {
        static long[] of(Connection sqlite, Path dir) throws SQLException {
            long present = 0;
            long missing = 0;
            try (Statement s = sqlite.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM attachments")) {
                while (rs.next()) {
                    if (Files.isRegularFile(dir.resolve(rs.getString(1)))) {
                        present++;
                    } else {
                        missing++;
                    }
                }
            }
            return new long[] {present, missing};
        }
    }
}
