package dev.tether.torture;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.tether.support.TestStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything in Tether's store, read directly over JDBC in one read transaction (a consistent
 * snapshot while the server writes: WAL on SQLite, REPEATABLE READ on PostgreSQL). Only SELECTs
 * are run.
 */
record StoreSnapshot(Map<String, SessionRow> sessions, Map<String, TurnRow> turns,
                     Map<String, List<EventRow>> events, Map<String, List<MessageRow>> messages,
                     Map<String, List<String>> queued, List<String> integrityProblems) {

    record SessionRow(String id, String activeTurn, int messageCount) {}

    /** {@code instanceId}: the instance that ran its worker (null for a turn from before instances). */
    record TurnRow(String id, String sessionId, String state, int userMessageIdx, long startedAt, Long endedAt,
                   long journalKey, String instanceId) {
        boolean running() {
            return state.equals("running");
        }
    }

    record EventRow(long seq, String name, String data) {
        String text() {
            try {
                JsonNode n = Http.JSON.readTree(data);
                return n.path("text").asText("");
            } catch (IOException e) {
                return "";
            }
        }
    }

    record MessageRow(int idx, String role, String content, String reasoning, String mark, String turnId) {}

    static StoreSnapshot read(TestStore store) {
        boolean sqlite = store instanceof TestStore.Sqlite;
        try (Connection c = store.connect()) {
            if (sqlite) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 10000");
                }
            } else {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            c.setAutoCommit(false);
            StoreSnapshot snapshot = new StoreSnapshot(sessions(c), turns(c, sqlite), events(c), messages(c), queued(c),
                    integrityProblems(c, sqlite));
            c.rollback();
            return snapshot;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store " + store + ": " + e, e);
        }
    }

    private static Map<String, SessionRow> sessions(Connection c) throws SQLException {
        Map<String, SessionRow> out = new HashMap<>();
        each(c, "SELECT id, active_turn, message_count FROM sessions", rs -> out.put(rs.getString(1),
                new SessionRow(rs.getString(1), rs.getString(2), rs.getInt(3))));
        return out;
    }

    private static Map<String, TurnRow> turns(Connection c, boolean sqlite) throws SQLException {
        Map<String, TurnRow> out = new HashMap<>();
        String times = sqlite ? "started_at, ended_at"
                : "(extract(epoch FROM started_at) * 1000)::bigint, (extract(epoch FROM ended_at) * 1000)::bigint";
        each(c, "SELECT id, session_id, state, user_message_idx, " + times + ", journal_key, instance_id FROM turns", rs -> {
            long ended = rs.getLong(6);
            Long endedAt = rs.wasNull() ? null : ended;
            out.put(rs.getString(1), new TurnRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                    rs.getLong(5), endedAt, rs.getLong(7), rs.getString(8)));
        });
        return out;
    }

    private static Map<String, List<EventRow>> events(Connection c) throws SQLException {
        Map<String, List<EventRow>> out = new HashMap<>();
        each(c, "SELECT turn_id, seq, name, data FROM turn_events ORDER BY turn_id, seq", rs ->
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new EventRow(rs.getLong(2), rs.getString(3), rs.getString(4))));
        return out;
    }

    private static Map<String, List<MessageRow>> messages(Connection c) throws SQLException {
        Map<String, List<MessageRow>> out = new HashMap<>();
        each(c, "SELECT session_id, idx, role, content, reasoning, mark, turn_id FROM messages ORDER BY session_id, idx",
                rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new MessageRow(rs.getInt(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))));
        return out;
    }

    private static Map<String, List<String>> queued(Connection c) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        each(c, "SELECT session_id, content FROM queued ORDER BY session_id, position", rs ->
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)));
        return out;
    }

    /**
     * Rows that point nowhere: broken foreign keys (PostgreSQL enforces them itself; SQLite is asked)
     * and journal rows whose turn is gone (the journal has no foreign key, a trigger deletes it).
     */
    private static List<String> integrityProblems(Connection c, boolean sqlite) throws SQLException {
        List<String> out = new ArrayList<>();
        if (sqlite) {
            each(c, "PRAGMA foreign_key_check", rs -> out.add(rs.getString(1) + " row " + rs.getLong(2)
                    + " → " + rs.getString(3)));
        }
        each(c, "SELECT DISTINCT turn_key FROM turn_journal j WHERE NOT EXISTS"
                + " (SELECT 1 FROM turns t WHERE t.journal_key = j.turn_key)",
                rs -> out.add("turn_journal rows of turn key " + rs.getLong(1) + " → no turn"));
        return out;
    }

    List<MessageRow> messagesOf(String sessionId) {
        return messages.getOrDefault(sessionId, List.of());
    }

    List<EventRow> eventsOf(String turnId) {
        return events.getOrDefault(turnId, List.of());
    }

    @FunctionalInterface
    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void each(Connection c, String sql, Row row) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        }
    }
}
