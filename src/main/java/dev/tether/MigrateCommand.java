package dev.tether;

import dev.tether.config.ConfigException;
import dev.tether.config.DatabaseUrl;
import dev.tether.store.migrate.MigrationFailed;
import dev.tether.store.migrate.MigrationOutcome;
import dev.tether.store.migrate.SqliteToPostgres;
import dev.tether.store.migrate.TableResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code tether migrate --from FILE --to URL}: copies a SQLite store into an empty PostgreSQL
 * database ({@link SqliteToPostgres}) and prints each table's rows and digest on both sides. Refusals
 * and failures are one line on {@code err} and a non-zero status, with nothing written to the
 * target. The password comes from TETHER_DATABASE_PASSWORD or the URL and is never printed.
 */
final class MigrateCommand {
    private static final String USAGE = """
            usage: tether migrate --from DATA_DIR/tether.db --to postgresql://USER@HOST:5432/DATABASE
              Copies Tether's SQLite store (sessions, messages, turns and their journals, queued messages,
              users, logins, API tokens, attachments' metadata) into an empty PostgreSQL database, in one
              transaction, and verifies each table's row count and checksum before committing.
              --to also takes jdbc:postgresql://HOST:5432/DATABASE?user=USER; the password comes from
              TETHER_DATABASE_PASSWORD or the URL. Stop the server first: this refuses while one holds the
              data dir or the database. Attachment files are not copied: run the PostgreSQL server on the
              same data dir (TETHER_DATA_DIR).""";

    private MigrateCommand() {}

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        String from = null;
        String to = null;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--from" -> from = args.get(i + 1);
                case "--to" -> to = args.get(i + 1);
                default -> {
                    return usage(err);
                }
            }
        }
        if (from == null || to == null || args.size() != 4) {
            return usage(err);
        }
        DatabaseUrl target;
        try {
            target = DatabaseUrl.fromArgument(to, "--to", environment);
        } catch (ConfigException e) {
            err.println("tether migrate: " + String.join("; ", e.problems()));
            return 2;
        }
        long began = System.nanoTime();
        out.println("Migrating " + Path.of(from).toAbsolutePath() + " into " + target.shown());
        MigrationOutcome outcome;
        try {
            outcome = SqliteToPostgres.run(Path.of(from), target, out::println);
        } catch (MigrationFailed e) {
            err.println("tether migrate: " + e.getMessage());
            return 1;
        }
        print(outcome.tables(), out);
        return switch (outcome) {
            case MigrationOutcome.Mismatch m -> {
                err.println("tether migrate: table " + m.first().table() + " differs: SQLite has " + m.first().sqliteRows()
                        + " rows (sha256 " + m.first().sqliteDigest() + "), PostgreSQL " + m.first().postgresRows()
                        + " rows (sha256 " + m.first().postgresDigest() + "); rolled back, nothing was written to "
                        + target.shown());
                yield 1;
            }
            case MigrationOutcome.Verified v -> {
                out.println("Not copied: flyway_schema_history (each database keeps its own schema's history)");
                out.println("Attachment files stay in " + v.attachmentDir() + " (" + v.attachmentFiles() + " files"
                        + (v.missingFiles() > 0 ? ", " + v.missingFiles() + " missing there already" : "")
                        + "): start the PostgreSQL server with TETHER_DATA_DIR=" + v.attachmentDir().getParent());
                long rows = v.tables().stream().mapToLong(TableResult::postgresRows).sum();
                out.printf("verified: %d tables, %d rows, in %.1f s%n", v.tables().size(), rows,
                        (System.nanoTime() - began) / 1e9);
                yield 0;
            }
        };
    }

    private static void print(List<TableResult> tables, PrintStream out) {
        out.printf("%-14s %12s  %-16s  %12s  %-16s%n", "table", "SQLite rows", "sha256", "PostgreSQL", "sha256");
        for (TableResult t : tables) {
            out.printf("%-14s %12d  %-16s  %12d  %-16s%s%n", t.table(), t.sqliteRows(), t.sqliteDigest().substring(0, 16),
                    t.postgresRows(), t.postgresDigest().substring(0, 16), t.matches() ? "" : "  DIFFERS");
        }
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }
}
