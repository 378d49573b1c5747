package dev.tether.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Transitions;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import dev.tether.store.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite journal's storage (V3: rows keyed by each turn's integer journal_key) and the upgrades
 * of older files (V4 counts each session's turns), beyond the store contract.
 */
class SqliteJournalTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void upgradingFromV2KeepsEveryJournalEventAndNumbersNewTurnsAfterTheOldOnes() throws Exception {
        Path file = dir.resolve("tether.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("2")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sessions (id, owner, title, model, created_at, updated_at, message_count)"
                    + " VALUES ('s1', 'local', 'Old chat', 'm1', 1, 1, 1)");
            s.execute("INSERT INTO messages (session_id, idx, role, content, created_at) VALUES ('s1', 0, 'user', 'hi', 1)");
            s.execute("INSERT INTO turns (id, session_id, owner, state, user_message_idx, model, started_at, ended_at)"
                    + " VALUES ('old-turn', 's1', 'local', 'completed', 0, 'm1', 1, 2)");
            s.execute("INSERT INTO turn_events (turn_id, seq, name, data) VALUES ('old-turn', 1, 'token', '{\"text\":\"a\"}'),"
                    + " ('old-turn', 2, 'token', '{\"text\":\"b\"}'), ('old-turn', 3, 'done', '{}')");
        }

        try (Database db = SqliteDatabase.open(file)) {
            SqliteSessionStore store = new SqliteSessionStore(db.executor());
            assertThat(store.journal("old-turn", 0, 100)).containsExactly(
                    new TurnEvent("old-turn", 1, "token", "{\"text\":\"a\"}"),
                    new TurnEvent("old-turn", 2, "token", "{\"text\":\"b\"}"),
                    new TurnEvent("old-turn", 3, "done", "{}"));
            assertThat(store.journal("old-turn", 1, 1)).extracting(TurnEvent::seq).containsExactly(2L);
            assertThat(store.lastSeq("old-turn")).isEqualTo(3);
            assertThat(store.findSession("local", "s1").orElseThrow().turnCount()).as("V4 counts old turns").isEqualTo(1);

            start(store, "s1", "new-turn");
            assertThat(store.findSession("local", "s1").orElseThrow().turnCount()).isEqualTo(2);
            store.appendJournal(List.of(new TurnEvent("new-turn", 1, "token", "{\"text\":\"c\"}")));
            assertThat(store.journal("new-turn", 0, 100)).extracting(TurnEvent::json).containsExactly("{\"text\":\"c\"}");
            assertThat(store.journal("old-turn", 0, 100)).hasSize(3);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT turn_id, count(*) FROM turn_events GROUP BY turn_id ORDER BY turn_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "=" + rs.getInt(2)).isEqualTo("new-turn=1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "=" + rs.getInt(2)).isEqualTo("old-turn=3");
        }
    }

    @Test
    void deletingASessionDeletesTheJournalOfItsTurns() throws Exception {
        Path file = dir.resolve("tether.db");
        try (Database db = SqliteDatabase.open(file)) {
            SqliteSessionStore store = new SqliteSessionStore(db.executor());
            store.createSession("local", "keep", "New chat", "m1", T0);
            store.createSession("local", "drop", "New chat", "m1", T0);
            start(store, "keep", "kept-turn");
            start(store, "drop", "dropped-turn");
            store.appendJournal(List.of(new TurnEvent("kept-turn", 1, "token", "{\"text\":\"k\"}"),
                    new TurnEvent("dropped-turn", 1, "token", "{\"text\":\"d\"}"),
                    new TurnEvent("dropped-turn", 2, "token", "{\"text\":\"e\"}")));
            assertThat(journalRows(file)).isEqualTo(3);

            TurnEnding ending = new TurnEnding("dropped-turn", TurnState.CANCELLED,
                    new TurnEnding.Reply("de", "", null, null), List.of(),
                    session -> List.of(new TurnEnding.Draft("cancel", "{}")), null);
            assertThat(new Transitions(store).delete("local", "drop", "dropped-turn", ending))
                    .isInstanceOf(DeleteOutcome.Deleted.class);

            assertThat(journalRows(file)).isEqualTo(1);
            assertThat(store.journal("kept-turn", 0, 100)).extracting(TurnEvent::seq).containsExactly(1L);
        }
    }

    private static void start(SqliteSessionStore store, String sessionId, String turnId) {
        StartOutcome outcome = new Transitions(store).start(new StartRequest("local", sessionId, turnId, "hello", null, null,
                List.of(), new StartRequest.Kind.Send(), null), T0.plusSeconds(1));
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
    }

    /** Rows in the journal table itself (the turn_events view would hide orphans). */
    private static int journalRows(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM turn_journal")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
