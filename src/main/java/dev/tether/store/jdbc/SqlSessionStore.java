package dev.tether.store.jdbc;

import dev.tether.session.Fence;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.SearchTooSlow;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnJournal.Appended;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** Searches get this long when the caller names no limit (the server passes its setting). */
    private static final Duration DEFAULT_SEARCH_LIMIT = Duration.ofSeconds(2);

    @Override
    public List<Session> listSessions(String owner, boolean includeArchived, String query) {
        return listSessions(owner, includeArchived, query, DEFAULT_SEARCH_LIMIT);
    }

    /** The shortest text a store's full-text index answers (its tokens are trigrams). */
    static final int MIN_INDEXED_QUERY = 3;

    /**
     * A search matches the title (among the owner's sessions only) or message content: through the
     * store's full-text index ({@link #contentMatch}) for a text of {@value #MIN_INDEXED_QUERY}
     * characters or more, which no trigram index can answer for shorter ones, so a shorter text
     * reads the owner's own messages only. Either runs in one snapshot under {@link #timeLimited}.
     */
    @Override
    public List<Session> listSessions(String owner, boolean includeArchived, String query, Duration timeLimit) {
        StringBuilder statement = new StringBuilder("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions s WHERE owner = ?");
        List<Object> params = new ArrayList<>(List.of(owner));
        if (!includeArchived) {
            statement.append(" AND NOT archived");
        }
        String text = query == null ? "" : query.strip();
        if (text.isEmpty()) {
            statement.append(ORDER);
            return db.read(sql -> sql.query(statement.toString(), rows.session, params.toArray()));
        }
        String like = caseInsensitiveLike();
        statement.append(" AND (title " + like + " ? ESCAPE '\\' OR ");
        params.add(likePattern(text));
        if (text.codePointCount(0, text.length()) >= MIN_INDEXED_QUERY) {
            statement.append("s.id IN (" + contentMatch() + "))");
            params.add(contentPattern(text));
        } else {
            statement.append("EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND m.content " + like
                    + " ? ESCAPE '\\'))");
            params.add(likePattern(text));
        }
        statement.append(ORDER);
        return db.snapshot(sql -> timeLimited(sql, timeLimit,
                s -> s.query(statement.toString(), rows.session, params.toArray())));
    }

    private static final String ORDER = " ORDER BY pinned DESC, updated_at DESC, id LIMIT 1000";

    /** {@code text} anywhere, for {@code LIKE ... ESCAPE '\'}. */
    protected static String likePattern(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * A query of session ids (of any owner: the caller's query keeps to the owner's) with a message
     * whose content holds the one parameter, {@link #contentPattern}, through an index.
     */
    protected abstract String contentMatch();

    /** The parameter of {@link #contentMatch} for {@code text}. */
    protected abstract String contentPattern(String text);

    /**
     * Runs {@code search} on {@code sql} (inside a snapshot) so that the database stops it after
     * {@code limit}, throwing {@link SearchTooSlow}: a search must not hold a reader connection for long.
     */
    protected abstract <T> T timeLimited(Sql sql, Duration limit, SqlWork<T> search) throws SQLException;

    @Override
    public long storedBytes(String owner) {
        return db.read(sql -> sql.one("SELECT (SELECT coalesce(sum(content_bytes), 0) FROM sessions WHERE owner = ?)"
                + " + (SELECT coalesce(sum(size), 0) FROM attachments WHERE owner = ?)",
                rs -> rs.getLong(1), owner, owner).orElse(0L));
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
     * its events), in {@link #lockOrder}. With a writer fence, a turn must carry it, and the
     * instance's row must still hold it, read last with the same lock (fencing then waits for the
     * batch, or the batch sees the new epoch and writes nothing).
     */
    @Override
    public Appended appendJournal(List<TurnEvent> events, Fence writer) {
        if (events.isEmpty()) {
            return new Appended(Set.of(), false);
        }
        return db.write(sql -> {
            Map<String, Long> running = new HashMap<>(); // turn id -> journal key, for running turns only
            String select = "SELECT journal_key, instance_id, instance_epoch FROM turns WHERE id = ?"
                    + " AND state = 'running'" + shareLock();
            for (String turnId : lockOrder(events)) {
                sql.one(select, rs -> carries(rs, writer) ? rs.getLong(1) : -1L, turnId)
                        .filter(key -> key >= 0).ifPresent(key -> running.put(turnId, key));
            }
            if (writer != null && !holds(sql, writer)) {
                return Appended.fencedOut();
            }
            if (running.isEmpty()) {
                return new Appended(Set.of(), false);
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
            journaled(sql, running.keySet(), events);
            return new Appended(running.keySet(), false);
        });
    }

    /** Called in a journal batch's transaction after its rows: PostgreSQL tells the other instances. */
    protected void journaled(Sql sql, Set<String> turns, List<TurnEvent> events) throws SQLException {
    }

    /** True when the turn row in {@code rs} carries {@code writer} (any turn does for no writer). */
    private static boolean carries(java.sql.ResultSet rs, Fence writer) throws SQLException {
        if (writer == null) {
            return true;
        }
        long epoch = rs.getLong(3);
        return !rs.wasNull() && writer.instance().equals(rs.getString(2)) && epoch == writer.epoch();
    }

    private boolean holds(Sql sql, Fence writer) throws SQLException {
        return sql.one("SELECT epoch FROM instances WHERE id = ?" + shareLock(), rs -> rs.getLong(1),
                writer.instance()).map(epoch -> epoch == writer.epoch()).orElse(false);
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
                m.hint(), m.usageJson(), m.attachments(), m.turnId(), m.createdAt());
    }
}
