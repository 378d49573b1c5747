package dev.tether.store.postgres;

import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.store.jdbc.Rows;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlRecords;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * {@link SqlRecords} as PostgreSQL runs them: inside one READ COMMITTED transaction, which runs
 * beside others (there is no single writer). Steps on one session are serialised by its row: the
 * step's first read of the session (or of one of its turns) locks that row ({@code FOR UPDATE})
 * until the transaction ends, so another step on the session waits there, and every statement
 * after the lock sees what the steps before it committed. Without the lock a step could read the
 * counts, let another start and end a turn, and still win its compare-and-set on
 * {@code active_turn} with stale counts. Locks are always taken session row first, then turn rows,
 * so two steps cannot wait on each other (the journal's writes take only their turn row).
 * The journal is keyed by each turn's integer {@code journal_key}, as on SQLite; this object
 * remembers the keys of the turns it has seen in its transaction.
 */
final class PostgresRecords extends SqlRecords {
    private static final Statements STATEMENTS = Statements.of(" FOR UPDATE", "IS NOT DISTINCT FROM");

    /** What this transaction tells the other instances when it commits. */
    final TurnNotices notices = new TurnNotices();

    PostgresRecords(Sql sql, Rows rows) {
        super(sql, rows, STATEMENTS);
    }

    @Override
    public void appendEvents(String turnId, List<TurnEvent> events) {
        super.appendEvents(turnId, events);
        notices.wrote(events);
    }

    @Override
    public boolean deleteSession(String owner, String sessionId, String expectedActive) {
        boolean deleted = super.deleteSession(owner, sessionId, expectedActive);
        if (deleted && expectedActive != null) {
            notices.gone(expectedActive);
        }
        return deleted;
    }

    /**
     * Locks the turn's session first, then the turn is read: its state is then the one the last step
     * on that session left (a turn never moves to another session, so the unlocked subquery finds
     * the right row to lock).
     */
    @Override
    protected void lockSessionOf(String turnId) throws SQLException {
        sql.query("SELECT 1 FROM sessions WHERE id = (SELECT session_id FROM turns WHERE id = ?) FOR UPDATE",
                rs -> 1, turnId);
    }

    /** The journal key comes from the table's identity column: two sessions may start turns at once. */
    @Override
    public void insertTurn(Turn t) {
        long key = step(() -> sql.one("INSERT INTO turns (id, session_id, owner, state, client_message_id,"
                        + " user_message_idx, model, started_at, instance_id, instance_epoch)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING journal_key",
                rs -> rs.getLong(1), t.id(), t.sessionId(), t.owner(), t.state().wire(), t.clientMessageId(),
                t.userMessageIndex(), t.model(), t.startedAt(), t.fence() == null ? null : t.fence().instance(),
                t.fence() == null ? null : t.fence().epoch()).orElseThrow());
        journalKeys.put(t.id(), key);
    }

    /** Held for share: fencing the instance (an update of its row) waits until this step commits. */
    @Override
    protected String holdInstance() {
        return " FOR SHARE";
    }

    @Override
    public long claimQueuePosition(String sessionId, Instant now) {
        return step(() -> sql.one("UPDATE sessions SET next_queue_pos = next_queue_pos + 1, updated_at = ?"
                + " WHERE id = ? RETURNING next_queue_pos - 1", rs -> rs.getLong(1), now, sessionId).orElseThrow());
    }
}
