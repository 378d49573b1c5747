package dev.tether.store.postgres;

import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionRecords;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import dev.tether.store.jdbc.Rows;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link SessionRecords} as PostgreSQL statements inside one READ COMMITTED transaction, which runs
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
final class PostgresRecords implements SessionRecords {

    static final String INSERT_EVENT = "INSERT INTO turn_journal (turn_key, seq, name, data) VALUES (?,?,?,?)";
    static final String KEY_OF_TURN = "(SELECT journal_key FROM turns WHERE id = ?)";

    private final Sql sql;
    private final Rows rows;
    private final Map<String, Long> journalKeys = new HashMap<>(4);

    PostgresRecords(Sql sql, Rows rows) {
        this.sql = sql;
        this.rows = rows;
    }

    /** A statement of this transaction that failed: the transaction rolls back and the caller sees why. */
    @FunctionalInterface
    private interface Statement<T> {
        T run() throws SQLException;
    }

    private static <T> T step(Statement<T> statement) {
        try {
            return statement.run();
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        }
    }

    /** Locks the session row (waiting for a step that holds it) and reads it as that step left it. */
    @Override
    public Optional<Session> session(String owner, String sessionId) {
        return step(() -> sql.one("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?"
                + " FOR UPDATE", rows.session, sessionId, owner));
    }

    /**
     * Locks the turn's session first, then reads the turn: its state is then the one the last step
     * on that session left (a turn never moves to another session, so the unlocked subquery finds
     * the right row to lock).
     */
    @Override
    public Optional<Turn> turn(String turnId) {
        return step(() -> {
            sql.query("SELECT 1 FROM sessions WHERE id = (SELECT session_id FROM turns WHERE id = ?) FOR UPDATE",
                    rs -> 1, turnId);
            return sql.one("SELECT * FROM turns WHERE id = ?", rs -> {
                journalKeys.put(turnId, rs.getLong("journal_key"));
                return rows.turn.map(rs);
            }, turnId);
        });
    }

    @Override
    public Optional<Turn> turnOfMessage(String sessionId, String clientMessageId) {
        return step(() -> sql.one("SELECT * FROM turns WHERE session_id = ? AND client_message_id = ?",
                rows.turn, sessionId, clientMessageId));
    }

    @Override
    public Optional<QueuedMessage> queuedOfMessage(String sessionId, String clientMessageId) {
        return step(() -> sql.one("SELECT * FROM queued WHERE session_id = ? AND client_message_id = ?",
                rows.queued, sessionId, clientMessageId));
    }

    @Override
    public int queuePlace(QueuedMessage q) {
        return step(() -> sql.one("SELECT count(*) FROM queued WHERE session_id = ? AND position <= ?",
                rs -> rs.getInt(1), q.sessionId(), q.position()).orElseThrow());
    }

    @Override
    public Optional<QueuedMessage> queueHead(String sessionId) {
        return step(() -> sql.one("SELECT * FROM queued WHERE session_id = ? ORDER BY position LIMIT 1",
                rows.queued, sessionId));
    }

    @Override
    public Optional<Integer> lastUserMessage(String sessionId) {
        return step(() -> sql.one("SELECT idx FROM messages WHERE session_id = ? AND role = 'user'"
                + " ORDER BY idx DESC LIMIT 1", rs -> rs.getInt(1), sessionId));
    }

    @Override
    public Optional<String> roleAt(String sessionId, int index) {
        return step(() -> sql.one("SELECT role FROM messages WHERE session_id = ? AND idx = ?",
                rs -> rs.getString(1), sessionId, index));
    }

    @Override
    public long lastSeq(String turnId) {
        Long key = journalKeys.get(turnId);
        return key != null
                ? step(() -> sql.one("SELECT coalesce(max(seq), 0) FROM turn_journal WHERE turn_key = ?",
                        rs -> rs.getLong(1), key).orElse(0L))
                : step(() -> lastSeq(sql, turnId));
    }

    @Override
    public List<TurnEvent> eventsFrom(String turnId, Set<String> names) {
        String in = names.stream().map(n -> "?").collect(Collectors.joining(", "));
        Object[] params = new Object[names.size() + 2];
        params[0] = turnId;
        params[1] = turnId;
        int i = 2;
        for (String n : names.stream().sorted().toList()) {
            params[i++] = n;
        }
        return step(() -> sql.query("SELECT seq, name, data FROM turn_journal WHERE turn_key = " + KEY_OF_TURN
                + " AND seq >= (SELECT coalesce(min(seq), 0) FROM turn_journal WHERE turn_key = " + KEY_OF_TURN
                + " AND name IN (" + in + ")) ORDER BY seq", rs -> event(turnId, rs), params));
    }

    @Override
    public boolean replaceActive(String expectedActive, Session next) {
        return step(() -> sql.update("UPDATE sessions SET active_turn = ?, turn_count = ?, message_count = ?, title = ?,"
                        + " updated_at = ?, last_message_at = ? WHERE id = ? AND active_turn IS NOT DISTINCT FROM ?",
                next.activeTurn(), next.turnCount(), next.messageCount(), next.title(), next.updatedAt(),
                next.lastMessageAt(), next.id(), expectedActive)) == 1;
    }

    @Override
    public boolean endTurnRow(String turnId, TurnState state, Instant endedAt) {
        return step(() -> sql.update("UPDATE turns SET state = ?, ended_at = ? WHERE id = ? AND state = 'running'",
                state.wire(), endedAt, turnId)) == 1;
    }

    @Override
    public boolean deleteSession(String owner, String sessionId, String expectedActive) {
        return step(() -> sql.update("DELETE FROM sessions WHERE id = ? AND owner = ?"
                + " AND active_turn IS NOT DISTINCT FROM ?", sessionId, owner, expectedActive)) == 1;
    }

    @Override
    public void insertTurn(Turn t) {
        long key = step(() -> sql.one("INSERT INTO turns (id, session_id, owner, state, client_message_id,"
                        + " user_message_idx, model, started_at) VALUES (?,?,?,?,?,?,?,?) RETURNING journal_key",
                rs -> rs.getLong(1), t.id(), t.sessionId(), t.owner(), t.state().wire(), t.clientMessageId(),
                t.userMessageIndex(), t.model(), t.startedAt()).orElseThrow());
        journalKeys.put(t.id(), key);
    }

    @Override
    public void insertMessage(String sessionId, Message m) {
        step(() -> {
            insertMessage(sql, sessionId, m);
            return null;
        });
    }

    @Override
    public void deleteMessagesFrom(String sessionId, int index) {
        step(() -> sql.update("DELETE FROM messages WHERE session_id = ? AND idx >= ?", sessionId, index));
    }

    @Override
    public long claimQueuePosition(String sessionId, Instant now) {
        return step(() -> sql.one("UPDATE sessions SET next_queue_pos = next_queue_pos + 1, updated_at = ?"
                + " WHERE id = ? RETURNING next_queue_pos - 1", rs -> rs.getLong(1), now, sessionId).orElseThrow());
    }

    @Override
    public void insertQueued(QueuedMessage q) {
        step(() -> sql.update("INSERT INTO queued (id, session_id, position, content, model, client_message_id,"
                        + " attachments, created_at) VALUES (?,?,?,?,?,?,?,?)", q.id(), q.sessionId(), q.position(),
                q.content(), q.model(), q.clientMessageId(), Rows.joined(q.attachments()), q.createdAt()));
    }

    @Override
    public void removeQueued(String queuedId) {
        step(() -> sql.update("DELETE FROM queued WHERE id = ?", queuedId));
    }

    @Override
    public void appendEvents(String turnId, List<TurnEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        long key = journalKeys.computeIfAbsent(turnId, id -> step(() -> sql.one(
                "SELECT journal_key FROM turns WHERE id = ?", rs -> rs.getLong(1), id).orElseThrow()));
        step(() -> {
            sql.batch(INSERT_EVENT, ps -> {
                for (TurnEvent e : events) {
                    if (!e.turnId().equals(turnId)) {
                        throw new IllegalArgumentException("one turn's events at a time");
                    }
                    sql.bind(ps, key, e.seq(), e.name(), e.json());
                    ps.addBatch();
                }
            });
            return null;
        });
    }

    // ---- statements the store's reads and plain writes share ----

    static Optional<Session> session(Sql sql, Rows rows, String owner, String sessionId) throws SQLException {
        return sql.one("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?",
                rows.session, sessionId, owner);
    }

    static long lastSeq(Sql sql, String turnId) throws SQLException {
        return sql.one("SELECT coalesce(max(seq), 0) FROM turn_journal WHERE turn_key = " + KEY_OF_TURN,
                rs -> rs.getLong(1), turnId).orElse(0L);
    }

    static TurnEvent event(String turnId, ResultSet rs) throws SQLException {
        return new TurnEvent(turnId, rs.getLong("seq"), rs.getString("name"), rs.getString("data"));
    }

    static void insertMessage(Sql sql, String sessionId, Message m) throws SQLException {
        sql.update("INSERT INTO messages (session_id, idx, role, content, reasoning, mark, error, usage_json,"
                        + " attachments, turn_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                sessionId, m.index(), m.role(), m.content() == null ? "" : m.content(), m.reasoning(),
                m.mark() == null ? null : m.mark().wire(), m.error(), m.usageJson(), Rows.joined(m.attachments()),
                m.turnId(), m.createdAt() == null ? Instant.now() : m.createdAt()); // imports may lack one
    }
}
