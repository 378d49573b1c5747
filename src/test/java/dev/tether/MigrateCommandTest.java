package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ServerProcess;
import dev.tether.support.TestPostgres;
import dev.tether.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tether migrate} as a user runs it: what it prints, its exit status, and never the password. */
class MigrateCommandTest {
    static Path source;

    @BeforeAll
    static void makeSource() {
        try (TestServer server = TestServer.with(ScriptedModel.autoReply("ok"))) {
            String session = server.newSession();
            server.startTurn(session, "hello");
            server.awaitIdle(session);
            source = server.dataDir();
        }
    }

    @Test
    void helpSaysHow() {
        Run r = run(List.of("--help"), Map.of());
        assertThat(r.status).isZero();
        assertThat(r.out).startsWith("usage: tether migrate --from DATA_DIR/tether.db --to postgresql://");
        assertThat(r.err).isEmpty();
    }

    @Test
    void missingOrUnknownArgumentsPrintUsageAndExit2() {
        for (List<String> args : List.of(List.<String>of(), List.of("--from", "x.db"), List.of("--from", "x.db", "--into", "y"))) {
            Run r = run(args, Map.of());
            assertThat(r.status).as(args.toString()).isEqualTo(2);
            assertThat(r.err).startsWith("usage: tether migrate");
        }
    }

    @Test
    void aBadUrlIsOneLineWithoutThePassword() {
        Run r = run(List.of("--from", "x.db", "--to", "mysql://app:secret-pw-1@127.0.0.1/tether"), Map.of());
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err.lines()).singleElement().asString()
                .startsWith("tether migrate: --to must be postgresql://USER@HOST:5432/DATABASE").doesNotContain("secret-pw-1");
    }

    @Test
    void aVerifiedMigrationPrintsEachTableAndEndsWithVerified() {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            Run r = run(List.of("--from", source.resolve("tether.db").toString(), "--to",
                    "postgresql://postgres:pw-in-url@127.0.0.1:" + db.port() + "/" + db.name()), Map.of("TETHER_DATABASE_PASSWORD", "pw-in-env"));
            assertThat(r.status).as(r.err).isZero();
            List<String> lines = r.out.lines().toList();
            assertThat(lines.getFirst()).isEqualTo("Migrating " + source.resolve("tether.db") + " into jdbc:postgresql://postgres@127.0.0.1:"
                    + db.port() + "/" + db.name());
            assertThat(lines).anyMatch(l -> l.matches("sessions +1  [0-9a-f]{16} +1  [0-9a-f]{16}"));
            assertThat(lines).anyMatch(l -> l.startsWith("Attachment files stay in " + source.resolve("attachments")));
            assertThat(lines.getLast()).startsWith("verified: 10 tables, ");
            assertThat(r.out + r.err).doesNotContain("pw-in-url").doesNotContain("pw-in-env");

            Run again = run(List.of("--from", source.resolve("tether.db").toString(), "--to",
                    "jdbc:postgresql://127.0.0.1:" + db.port() + "/" + db.name() + "?user=postgres"), Map.of());
            assertThat(again.status).isEqualTo(1);
            assertThat(again.err.lines()).singleElement().asString().startsWith("tether migrate: database ")
                    .endsWith(" is not empty (its table sessions has rows); migrate copies only into an empty database");
        }
    }

    @Test
    void aTableThatReadsBackDifferentlyIsNamedAndExits1() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            PostgresDatabase.open(db.jdbcUrl(), TestPostgres.USER, null).close();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null); Statement s = c.createStatement()) {
                s.execute("CREATE FUNCTION garble() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " NEW.name := upper(NEW.name); RETURN NEW; END $$");
                s.execute("CREATE TRIGGER garble BEFORE INSERT ON turn_journal FOR EACH ROW EXECUTE FUNCTION garble()");
            }
            Run r = run(List.of("--from", source.resolve("tether.db").toString(), "--to",
                    "postgresql://postgres@127.0.0.1:" + db.port() + "/" + db.name()), Map.of());
            assertThat(r.status).isEqualTo(1);
            assertThat(r.out.lines()).anyMatch(l -> l.startsWith("turn_journal ") && l.endsWith("  DIFFERS"))
                    .noneMatch(l -> l.startsWith("verified"));
            assertThat(r.err.lines()).singleElement().asString().startsWith("tether migrate: table turn_journal differs: SQLite has ")
                    .endsWith("; rolled back, nothing was written to jdbc:postgresql://postgres@127.0.0.1:" + db.port() + "/" + db.name());
        }
    }

    /** The real process, as {@code bin/tether migrate} starts it, refused while a server holds the data dir. */
    @Test
    void theProcessIsRefusedWhileAServerRunsOnTheDataDirAndMigratesOnceItStopped() throws Exception {
        Path dataDir = Files.createTempDirectory("tether-migrate-proc");
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            List<String> args = List.of("migrate", "--from", dataDir.resolve("tether.db").toString(),
                    "--to", "postgresql://postgres@127.0.0.1:" + db.port() + "/" + db.name());
            try (ServerProcess server = ServerProcess.start(dataDir, Map.of())) {
                ServerProcess.Exit refused = ServerProcess.runToExit(dataDir, Map.of(), args);
                assertThat(refused.status()).isEqualTo(1);
                assertThat(refused.stderr()).singleElement().asString()
                        .isEqualTo("tether migrate: data dir " + dataDir.toRealPath() + " is in use by PID " + server.pid()
                                + " (another Tether running?); stop it (or migrate a copy of the data dir) and run this again");
            }
            ServerProcess.Exit migrated = ServerProcess.runToExit(dataDir, Map.of(), args);
            assertThat(migrated.status()).as(String.join("\n", migrated.stderr())).isZero();
            assertThat(migrated.stdout().getLast()).startsWith("verified: 10 tables, ");
        }
    }

    private record Run(int status, String out, String err) {}

    private static Run run(List<String> args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MigrateCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
