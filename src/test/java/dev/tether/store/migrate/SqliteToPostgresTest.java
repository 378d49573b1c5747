package dev.tether.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.Tether;
import dev.tether.config.ConfigLoader;
import dev.tether.config.DatabaseUrl;
import dev.tether.model.ModelCatalog;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestPostgres;
import dev.tether.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What migrate refuses, and that a refusal or a failure leaves the target as it was: all or nothing. */
class SqliteToPostgresTest {
    static Path source; // a stopped server's data dir: one session with one finished turn

    @TempDir
    Path dir;

    @BeforeAll
    static void makeSource() {
        try (TestServer server = TestServer.with(ScriptedModel.autoReply("fine", ", thanks"))) {
            String session = server.newSession();
            server.startTurn(session, "how are you?");
            server.awaitIdle(session);
            source = server.dataDir();
        }
    }

    @Test
    void aNonEmptyTargetIsRefusedAndKeepsWhatItHad() {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            MigrationOutcome first = migrate(source, db);
            assertThat(first).isInstanceOf(MigrationOutcome.Verified.class);
            assertThatThrownBy(() -> migrate(source, db)).isInstanceOf(MigrationFailed.class)
                    .hasMessage("database " + shown(db) + " is not empty (its table sessions has rows);"
                            + " migrate copies only into an empty database");
            assertThat(count(db, "sessions")).isEqualTo(1);
            assertThat(count(db, "turn_journal")).isEqualTo(first.tables().stream()
                    .filter(t -> t.table().equals("turn_journal")).findFirst().orElseThrow().sqliteRows()).isPositive();
        }
    }

    @Test
    void aDatabaseWithTablesThatAreNotTethersIsRefusedWithNothingCreated() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            sql(db, "CREATE TABLE invoices (id int)");
            assertThatThrownBy(() -> migrate(source, db)).isInstanceOf(MigrationFailed.class)
                    .hasMessage("database " + shown(db) + " is not empty: it has tables that are not Tether's (invoices);"
                            + " migrate copies only into an empty database");
            assertThat(tables(db)).containsExactly("invoices");
        }
    }

    @Test
    void anEmptyTetherSchemaIsEmptyEnough() {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            PostgresDatabase.open(db.jdbcUrl(), TestPostgres.USER, null).close(); // a server started once, never used
            assertThat(migrate(source, db)).isInstanceOf(MigrationOutcome.Verified.class);
            assertThat(count(db, "messages")).isEqualTo(2);
        }
    }

    @Test
    void whileAServerHoldsTheDataDirItIsRefusedAndNothingIsWritten() {
        try (TestServer running = TestServer.with(ScriptedModel.autoReply("x")); TestPostgres.Fresh db = TestPostgres.database()) {
            assertThatThrownBy(() -> migrate(running.dataDir(), db)).isInstanceOf(MigrationFailed.class)
                    .hasMessageStartingWith("data dir " + running.dataDir().toRealPath() + " is in use by this process")
                    .hasMessageEndingWith("; stop it (or migrate a copy of the data dir) and run this again");
            assertThat(tables(db)).isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whileAServerHoldsTheDatabaseItIsRefusedAndTheDataDirIsReleased() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database();
             Tether onPostgres = Tether.start(new ConfigLoader(Map.of("TETHER_DATA_DIR", dir.toString(), "TETHER_PORT", "0",
                     "TETHER_DATABASE_URL", MigratedServerTest.libpq(db))).load(), ModelCatalog.from(
                     new ConfigLoader(Map.of("TETHER_DATA_DIR", dir.toString())).load()))) {
            assertThatThrownBy(() -> migrate(source, db)).isInstanceOf(MigrationFailed.class)
                    .hasMessageStartingWith("database " + shown(db) + " is in use by another Tether (pid "
                            + ProcessHandle.current().pid() + " port 0")
                    .hasMessageEndingWith("; migrate only into a database no server uses");
            assertThat(count(db, "sessions")).isZero();
        }
        try (TestPostgres.Fresh other = TestPostgres.database()) {
            assertThat(migrate(source, other)).as("the source's data dir lock was let go").isInstanceOf(MigrationOutcome.Verified.class);
        }
    }

    @Test
    void aTableThatReadsBackDifferentlyRollsEverythingBackAndIsNamed() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            PostgresDatabase.open(db.jdbcUrl(), TestPostgres.USER, null).close();
            sql(db, "CREATE FUNCTION garble() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " NEW.content := NEW.content || '?'; RETURN NEW; END $$");
            sql(db, "CREATE TRIGGER garble BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION garble()");
            MigrationOutcome outcome = migrate(source, db);
            assertThat(outcome).isInstanceOf(MigrationOutcome.Mismatch.class);
            TableResult first = ((MigrationOutcome.Mismatch) outcome).first();
            assertThat(first.table()).isEqualTo("messages");
            assertThat(first.postgresRows()).isEqualTo(first.sqliteRows()).isEqualTo(2);
            assertThat(first.postgresDigest()).isNotEqualTo(first.sqliteDigest());
            assertThat(outcome.tables()).filteredOn(t -> !t.matches()).extracting(TableResult::table).containsExactly("messages");
            assertThat(count(db, "sessions")).as("rolled back").isZero();
            assertThat(count(db, "messages")).isZero();
        }
    }

    @Test
    void aRowPostgresqlRefusesRollsBackTheTablesCopiedBeforeIt() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            PostgresDatabase.open(db.jdbcUrl(), TestPostgres.USER, null).close();
            sql(db, "ALTER TABLE turn_journal ADD CONSTRAINT no_done CHECK (name <> 'done')");
            assertThatThrownBy(() -> migrate(source, db)).isInstanceOf(MigrationFailed.class)
                    .hasMessageStartingWith("copying turn_journal failed: ERROR: new row for relation \"turn_journal\""
                            + " violates check constraint \"no_done\"")
                    .hasMessageEndingWith("; nothing was written to " + shown(db))
                    .message().as("the batch's rows are not printed").doesNotContain("INSERT").doesNotContain("token");
            assertThat(count(db, "sessions")).isZero();
            assertThat(count(db, "turns")).isZero();
        }
    }

    @Test
    void textHoldingU0000IsWrittenWithTheReplacementCharacterAndSaidSo() {
        Path withNul;
        try (TestServer server = TestServer.with(ScriptedModel.autoReply("ok"))) {
            String session = server.newSession();
            server.startTurn(session, "before\u0000after");
            server.awaitIdle(session);
            withNul = server.dataDir();
        }
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            List<String> said = new ArrayList<>();
            assertThat(SqliteToPostgres.run(withNul.resolve("tether.db"), url(db), said::add))
                    .isInstanceOf(MigrationOutcome.Verified.class);
            assertThat(said).anyMatch(l -> l.startsWith("Copied messages: 2 rows in ") && l.endsWith(" ms (1 text values held"
                    + " U+0000, which PostgreSQL cannot store: written with U+FFFD in its place)"));
            assertThat(string(db, "SELECT content FROM messages WHERE idx = 0")).isEqualTo("before\uFFFDafter");
        }
    }

    @Test
    void anOlderSchemaIsUpgradedFirstAsTheServerWould() throws Exception {
        Path file = dir.resolve("tether.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sessions (id, owner, title, model, created_at, updated_at, message_count)"
                    + " VALUES ('s1', 'local', 'Old chat', 'm1', 1, 1, 1)");
            s.execute("INSERT INTO turns (id, session_id, owner, state, user_message_idx, model, started_at, ended_at)"
                    + " VALUES ('old-turn', 's1', 'local', 'completed', 0, 'm1', 1, 2)");
            s.execute("INSERT INTO turn_events (turn_id, seq, name, data) VALUES ('old-turn', 1, 'token', '{}'), ('old-turn', 2, 'done', '{}')");
        }
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            List<String> said = new ArrayList<>();
            assertThat(SqliteToPostgres.run(file, url(db), said::add)).isInstanceOf(MigrationOutcome.Verified.class);
            assertThat(said.getFirst()).startsWith("Upgrading the schema of " + file);
            assertThat(count(db, "turn_journal")).isEqualTo(2);
        }
    }

    @Test
    void aMissingFileOrOneThatIsNotTethersIsRefused() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            Path missing = dir.resolve("nothing.db");
            assertThatThrownBy(() -> SqliteToPostgres.run(missing, url(db), line -> { }))
                    .isInstanceOf(MigrationFailed.class).hasMessage("no SQLite file at " + missing);
            Path other = dir.resolve("other.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE recipes (id INTEGER)");
            }
            assertThatThrownBy(() -> SqliteToPostgres.run(other, url(db), line -> { })).isInstanceOf(MigrationFailed.class)
                    .hasMessage(other + " is not a Tether database (it has no sessions table or no schema history)");
            assertThat(tables(db)).isEmpty();
        }
    }

    @Test
    void anUnreachableServerIsOneLineWithoutThePassword() {
        DatabaseUrl nowhere = DatabaseUrl.fromArgument("postgresql://app:pw-never-shown@127.0.0.1:1/tether", "--to", Map.of());
        assertThatThrownBy(() -> SqliteToPostgres.run(source.resolve("tether.db"), nowhere, line -> { }))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageStartingWith("cannot reach PostgreSQL at jdbc:postgresql://app@127.0.0.1:1/tether: ")
                .message().doesNotContain("\n").doesNotContain("pw-never-shown");
    }

    private static MigrationOutcome migrate(Path dataDir, TestPostgres.Fresh db) {
        return SqliteToPostgres.run(dataDir.resolve("tether.db"), url(db), line -> { });
    }

    private static DatabaseUrl url(TestPostgres.Fresh db) {
        return DatabaseUrl.fromArgument(MigratedServerTest.libpq(db), "--to", Map.of());
    }

    private static String shown(TestPostgres.Fresh db) {
        return "jdbc:postgresql://postgres@127.0.0.1:" + db.port() + "/" + db.name();
    }

    static long count(TestPostgres.Fresh db, String table) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String string(TestPostgres.Fresh db, String query) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> tables(TestPostgres.Fresh db) {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = 'public' ORDER BY table_name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void sql(TestPostgres.Fresh db, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
