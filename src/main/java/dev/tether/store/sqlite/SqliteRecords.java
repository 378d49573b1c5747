package dev.tether.store.sqlite;

import dev.tether.session.Turn;
import dev.tether.store.jdbc.Rows;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlRecords;
import java.time.Instant;

/**
 * {@link SqlRecords} on the single writer's connection, inside one write transaction: the writer
 * serialises every step, so a read locks nothing. A new turn's journal key is the next integer
 * (migration V3 says why the journal is keyed by one).
 */
final class SqliteRecords extends SqlRecords {
    private static final Statements STATEMENTS = Statements.of("", "IS");

    SqliteRecords(Sql sql, Rows rows) {
        super(sql, rows, STATEMENTS);
    }

    @Override
    public void insertTurn(Turn t) {
        step(() -> sql.update("INSERT INTO turns (id, session_id, owner, state, client_message_id, user_message_idx,"
                        + " model, started_at, instance_id, instance_epoch, journal_key) VALUES (?,?,?,?,?,?,?,?,?,?,"
                        + " (SELECT coalesce(max(journal_key), 0) + 1 FROM turns))",
                t.id(), t.sessionId(), t.owner(), t.state().wire(), t.clientMessageId(), t.userMessageIndex(),
                t.model(), t.startedAt(), t.fence() == null ? null : t.fence().instance(),
                t.fence() == null ? null : t.fence().epoch()));
    }

    @Override
    public long claimQueuePosition(String sessionId, Instant now) {
        return step(() -> {
            long position = sql.one("SELECT next_queue_pos FROM sessions WHERE id = ?", rs -> rs.getLong(1), sessionId)
                    .orElseThrow();
            sql.update("UPDATE sessions SET next_queue_pos = next_queue_pos + 1, updated_at = ? WHERE id = ?",
                    now, sessionId);
            return position;
        });
    }
}
