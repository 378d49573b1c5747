package dev.tether.store.jdbc;

import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionRecords;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
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
 * {@link SessionRecords} as SQL on one connection, inside one transaction: the statements every SQL
 * store shares. A store supplies what differs ({@link Statements}: how its null-safe equality is
 * spelled and whether a step's read of a session locks the row) and the two writes whose keys it
 * makes its own way. The journal is keyed by each turn's integer {@code journal_key}; this object
 * remembers the keys of the turns it has seen in its transaction, so an ending looks its key up once.
 */
public abstract class SqlRecords implements SessionRecords {

    public static final String INSERT_EVENT = "INSERT INTO turn_journal (turn_key, seq, name, data) VALUES (?,?,?,?)";
    public static final String KEY_OF_TURN = "(SELECT journal_key FROM turns WHERE id = ?)";

    /**
     * The statements whose text differs between databases, built once per store kind (the statement
     * cache is keyed by the text, so it must not be built per call).
     */
    public record Statements(String session, String replaceActive, String deleteSession) {
        /**
         * {@code lockRow}: what a step's read of a session appends to hold the row until its
         * transaction ends ("" where one writer serialises steps anyway); {@code isSame}: the
         * database's null-safe equality ({@code IS}, {@code IS NOT DISTINCT FROM}).
         */
        public static Statements of(String lockRow, String isSame) {
            return new Statements("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?" + lockRow,
                    "UPDATE sessions SET active_turn = ?, turn_count = ?, message_count = ?, title = ?,"
                            + " updated_at = ?, last_message_at = ?, input_tokens = ?, output_tokens = ?"
                            + " WHERE id = ? AND active_turn " + isSame + " ?",
                    "DELETE FROM sessions WHERE id = ? AND owner = ? AND active_turn " + isSame + " ?");
        }
    }

    protected final Sql sql;
    protected final Rows rows;
    protected final Map<String, Long> journalKeys = new HashMap<>(4);
    private final Statements statements;

    protected SqlRecords(Sql sql, Rows rows, Statements statements) {
        this.sql = sql;
        this.rows = rows;
        this.statements = statements;
    }

    /** A statement of this transaction that failed: the transaction rolls back and the caller sees why. */
    @FunctionalInterface
    protected interface Statement<T> {
        T run() throws SQLException;
    }

    protected static <T> T step(Statement<T> statement) {
        try {
            return statement.run();
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Session> session(String owner, String sessionId) {
        return step(() -> sql.one(statements.session(), rows.session, sessionId, owner));
    }

    @Override
    public Optional<Turn> turn(String turnId) {
        return step(() -> {
            lockSessionOf(turnId);
            return sql.one("SELECT * FROM turns WHERE id = ?", rs -> {
                journalKeys.put(turnId, rs.getLong("journal_key"));
                return rows.turn.map(rs);
            }, turnId);
        });
    }

    /**
     * Before a turn is read: hold its session's row as {@link #session} does, so its state is the
     * one the last step on that session left. Nothing to do where one writer serialises every step.
     */
    protected void lockSessionOf(String turnId) throws SQLException {
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
    public List<TurnEvent> events(String turnId) {
        return step(() -> sql.query("SELECT seq, name, data FROM turn_journal WHERE turn_key = " + KEY_OF_TURN
                + " ORDER BY seq", rs -> event(turnId, rs), turnId));
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
    public long instanceEpoch(String instanceId) {
        return step(() -> sql.one("SELECT epoch FROM instances WHERE id = ?" + holdInstance(), rs -> rs.getLong(1),
                instanceId).orElse(-1L));
    }

    /** What a read of an instance's row appends to hold it against fencing ("" with one writer). */
    protected String holdInstance() {
        return "";
    }

    @Override
    public boolean replaceActive(String expectedActive, Session next) {
        return step(() -> sql.update(statements.replaceActive(),
                next.activeTurn(), next.turnCount(), next.messageCount(), next.title(), next.updatedAt(),
                next.lastMessageAt(), next.inputTokens(), next.outputTokens(), next.id(), expectedActive)) == 1;
    }

    @Override
    public boolean endTurnRow(String turnId, TurnState state, Instant endedAt) {
        return step(() -> sql.update("UPDATE turns SET state = ?, ended_at = ? WHERE id = ? AND state = 'running'",
                state.wire(), endedAt, turnId)) == 1;
    }

    @Override
    public boolean deleteSession(String owner, String sessionId, String expectedActive) {
        return step(() -> sql.update(statements.deleteSession(), sessionId, owner, expectedActive)) == 1;
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

    /** A session read outside a step (no lock): the stores' plain reads. */
    public static Optional<Session> session(Sql sql, Rows rows, String owner, String sessionId) throws SQLException {
        return sql.one("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?",
                rows.session, sessionId, owner);
    }

    public static long lastSeq(Sql sql, String turnId) throws SQLException {
        return sql.one("SELECT coalesce(max(seq), 0) FROM turn_journal WHERE turn_key = " + KEY_OF_TURN,
                rs -> rs.getLong(1), turnId).orElse(0L);
    }

    public static TurnEvent event(String turnId, ResultSet rs) throws SQLException {
        return new TurnEvent(turnId, rs.getLong("seq"), rs.getString("name"), rs.getString("data"));
    }

    public static void insertMessage(Sql sql, String sessionId, Message m) throws SQLException {
        sql.update("INSERT INTO messages (session_id, idx, role, content, reasoning, mark, error, hint,"
                        + " usage_json, attachments, turn_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                sessionId, m.index(), m.role(), m.content() == null ? "" : m.content(), m.reasoning(),
                m.mark() == null ? null : m.mark().wire(), m.error(), m.hint(), m.usageJson(), Rows.joined(m.attachments()),
                m.turnId(), m.createdAt() == null ? Instant.now() : m.createdAt()); // imports may lack one
    }
}
