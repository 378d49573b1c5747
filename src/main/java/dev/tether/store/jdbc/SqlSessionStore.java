package dev.tether.store.jdbc;

import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SessionStore} as the SQL every store shares: its reads, plain edits, the journal and
 * {@link #transact}, in which the lifecycle's transitions run over the store's {@link SqlRecords}.
 * A store supplies those records, its name, and what its SQL spells differently.
 */
public abstract class SqlSessionStore implements SessionStore {

    protected final SqlExecutor db;
    protected final Rows rows;

    protected SqlSessionStore(SqlExecutor db) {
        this.db = db;
        this.rows = new Rows(db.columns());
    }

    @Override
    public Optional<Session> findSession(String owner, String sessionId) {
        return db.read(sql -> sql.one("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?",
                rows.session, sessionId, owner));
    }

    @Override
    public List<Session> listSessions(String owner, boolean includeArchived, String query) {
        StringBuilder statement = new StringBuilder("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions s WHERE owner = ?");
        List<Object> params = new ArrayList<>(List.of(owner));
        if (!includeArchived) {
            statement.append(" AND NOT archived");
        }
        if (query != null && !query.isBlank()) {
            String pattern = "%" + query.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            String like = caseInsensitiveLike();
            statement.append(" AND (title " + like + " ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
                    + " WHERE m.session_id = s.id AND m.content " + like + " ? ESCAPE '\\'))");
            params.add(pattern);
            params.add(pattern);
        }
        statement.append(" ORDER BY pinned DESC, updated_at DESC, id LIMIT 1000");
        return db.read(sql -> sql.query(statement.toString(), rows.session, params.toArray()));
    }

    @Override
    public List<Message> messages(String owner, String sessionId, int limit, Integer before) {
        return db.read(sql -> messages(sql, owner, sessionId, limit, before));
    }

    private List<Message> messages(Sql sql, String owner, String sessionId, int limit, Integer before)
            throws SQLException {
        List<Message> newestFirst = sql.query("SELECT m.* FROM messages m JOIN sessions s ON s.id = m.session_id"
                        + " WHERE m.session_id = ? AND s.owner = ? AND m.idx < ? ORDER BY m.idx DESC LIMIT ?",
                rows.message, sessionId, owner, before == null ? Integer.MAX_VALUE : before, limit);
        return newestFirst.reversed();
    }

    /**
     * The session row and its messages from one snapshot: {@link Transcript#historyOf} proves a
     * history from the row's counts, so messages newer than the row would break the proof (in
     * autocommit each statement sees the latest commit; a send's worker read its own user message
     * twice that way while its start committed between the two statements).
     */
    @Override
    public Optional<Transcript> transcript(String owner, String sessionId, int limit) {
        return db.snapshot(sql -> {
            Optional<Session> session = SqlRecords.session(sql, rows, owner, sessionId);
            if (session.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Transcript(session.get(), messages(sql, owner, sessionId, limit, null)));
        });
    }

    @Override
    public List<QueuedMessage> queued(String owner, String sessionId) {
        return db.read(sql -> sql.query("SELECT q.* FROM queued q JOIN sessions s ON s.id = q.session_id"
                + " WHERE q.session_id = ? AND s.owner = ? ORDER BY q.position", rows.queued, sessionId, owner));
    }

    @Override
    public Optional<Turn> findTurn(String owner, String turnId) {
        return db.read(sql -> owner == null
                ? sql.one("SELECT * FROM turns WHERE id = ?", rows.turn, turnId)
                : sql.one("SELECT * FROM turns WHERE id = ? AND owner = ?", rows.turn, turnId, owner));
    }

    @Override
    public List<TurnEvent> journal(String turnId, long afterSeq, int limit) {
        return db.read(sql -> sql.query("SELECT seq, name, data FROM turn_journal WHERE turn_key = "
                + SqlRecords.KEY_OF_TURN + " AND seq > ? ORDER BY seq LIMIT ?",
                rs -> SqlRecords.event(turnId, rs), turnId, afterSeq, limit));
    }

    @Override
    public long lastSeq(String turnId) {
        return db.read(sql -> SqlRecords.lastSeq(sql, turnId));
    }

    @Override
    public List<Turn> runningTurns() {
        return db.read(sql -> sql.query("SELECT * FROM turns WHERE state = 'running' ORDER BY started_at", rows.turn));
    }

    @Override
    public List<Session> idleWithWaitingMessages() {
        return db.read(sql -> sql.query("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions s WHERE active_turn IS NULL"
                + " AND EXISTS (SELECT 1 FROM queued q WHERE q.session_id = s.id) ORDER BY updated_at", rows.session));
    }

    @Override
    public Counts counts() {
        return db.read(sql -> sql.one("SELECT (SELECT count(*) FROM sessions) AS s,"
                + " (SELECT count(*) FROM turns WHERE state = 'running') AS r",
                rs -> new Counts(rs.getLong("s"), rs.getLong("r"))).orElseThrow());
    }

    @Override
    public Session createSession(String owner, String sessionId, String title, String model, Instant now) {
        return db.write(sql -> {
            sql.update("INSERT INTO sessions (id, owner, title, model, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                    sessionId, owner, title, model, now, now);
            return SqlRecords.session(sql, rows, owner, sessionId).orElseThrow();
        });
    }

    @Override
    public Optional<Session> updateSession(String owner, String sessionId, SessionPatch p, Instant now) {
        return db.write(sql -> {
            int n = sql.update("UPDATE sessions SET title = coalesce(?, title), pinned = coalesce(?, pinned),"
                            + " archived = coalesce(?, archived), model = coalesce(?, model),"
                            + " tools = coalesce(?, tools), updated_at = ? WHERE id = ? AND owner = ?",
                    p.title(), p.pinned(), p.archived(), p.model(),
                    p.tools() == null ? null : p.tools().isEmpty() ? "" : Rows.joined(p.tools()), now, sessionId, owner);
            return n == 0 ? Optional.empty() : SqlRecords.session(sql, rows, owner, sessionId);
        });
    }

    @Override
    public Session importSession(Session s, List<Message> messages) {
        return db.write(sql -> {
            sql.update("INSERT INTO sessions (id, owner, title, model, pinned, archived, created_at, updated_at,"
                            + " last_message_at, message_count) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    s.id(), s.owner(), s.title(), s.model(), s.pinned(), s.archived(), s.createdAt(),
                    s.updatedAt(), s.lastMessageAt(), messages.size());
            int idx = 0;
            for (Message m : messages) {
                SqlRecords.insertMessage(sql, s.id(), withIndex(m, idx++));
            }
            return SqlRecords.session(sql, rows, s.owner(), s.id()).orElseThrow();
        });
    }

    /**
     * Journal rows are written only while their turn runs: a late batch can never follow a terminal.
     * Each turn's state is read once per batch, with {@link #shareLock} where endings run beside this
     * transaction (an ending then waits for the batch, or the batch sees the turn ended and drops
     * its events), in {@link #lockOrder}.
     */
    @Override
    public void appendJournal(List<TurnEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.write(sql -> {
            Map<String, Long> running = new HashMap<>(); // turn id -> journal key, for running turns only
            String select = "SELECT journal_key FROM turns WHERE id = ? AND state = 'running'" + shareLock();
            for (String turnId : lockOrder(events)) {
                sql.one(select, rs -> rs.getLong(1), turnId).ifPresent(key -> running.put(turnId, key));
            }
            if (running.isEmpty()) {
                return null;
            }
            sql.batch(SqlRecords.INSERT_EVENT, insert -> {
                for (TurnEvent e : events) {
                    Long key = running.get(e.turnId());
                    if (key != null) {
                        sql.bind(insert, key, e.seq(), e.name(), e.json());
                        insert.addBatch();
                    }
                }
            });
            return null;
        });
    }

    /** What a journal batch's read of a turn appends to hold it against an ending ("" with one writer). */
    protected String shareLock() {
        return "";
    }

    /** The batch's turns in the order their rows are read (and, where {@link #shareLock} locks, locked). */
    protected Collection<String> lockOrder(List<TurnEvent> events) {
        Collection<String> turns = new LinkedHashSet<>();
        for (TurnEvent e : events) {
            turns.add(e.turnId());
        }
        return turns;
    }

    /** This database's case-insensitive {@code LIKE} (for ASCII at least). */
    protected String caseInsensitiveLike() {
        return "LIKE";
    }

    /** The rows of one transaction, as this database runs them. */
    protected abstract SqlRecords records(Sql sql);

    @Override
    public <T> T transact(Transaction<T> work) {
        return db.write(sql -> work.run(records(sql)));
    }

    private static Message withIndex(Message m, int index) {
        return m.index() == index ? m : new Message(index, m.role(), m.content(), m.reasoning(), m.mark(), m.error(),
                m.usageJson(), m.attachments(), m.turnId(), m.createdAt());
    }
}
