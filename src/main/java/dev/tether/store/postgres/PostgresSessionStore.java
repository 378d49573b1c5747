package dev.tether.store.postgres;

import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.store.jdbc.ConcurrentJdbcExecutor;
import dev.tether.store.jdbc.Rows;
import dev.tether.store.jdbc.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@link SessionStore} on PostgreSQL. Every call is one transaction (or one autocommit read) on the
 * executor's threads, running beside the others; the lifecycle's transitions run in
 * {@link #transact} over {@link PostgresRecords}, which serialises steps on one session by locking
 * its row.
 */
public final class PostgresSessionStore implements SessionStore {

    private final ConcurrentJdbcExecutor db;
    private final Rows rows;

    public PostgresSessionStore(ConcurrentJdbcExecutor db) {
        this.db = db;
        this.rows = new Rows(db.columns());
    }

    @Override
    public Optional<Session> findSession(String owner, String sessionId) {
        return db.read(sql -> PostgresRecords.session(sql, rows, owner, sessionId));
    }

    /** Matches title or message content case-insensitively ({@code ILIKE}), as SQLite's {@code LIKE} does for ASCII. */
    @Override
    public List<Session> listSessions(String owner, boolean includeArchived, String query) {
        StringBuilder statement = new StringBuilder("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions s WHERE owner = ?");
        List<Object> params = new ArrayList<>(List.of(owner));
        if (!includeArchived) {
            statement.append(" AND NOT archived");
        }
        if (query != null && !query.isBlank()) {
            String like = "%" + query.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            statement.append(" AND (title ILIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
                    + " WHERE m.session_id = s.id AND m.content ILIKE ? ESCAPE '\\'))");
            params.add(like);
            params.add(like);
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
     * The session row and its messages from one snapshot (REPEATABLE READ): {@link Transcript#historyOf}
     * proves a history from the row's counts, so messages newer than the row would break the proof.
     */
    @Override
    public Optional<Transcript> transcript(String owner, String sessionId, int limit) {
        return db.snapshot(sql -> {
            Optional<Session> session = PostgresRecords.session(sql, rows, owner, sessionId);
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
                + PostgresRecords.KEY_OF_TURN + " AND seq > ? ORDER BY seq LIMIT ?",
                rs -> PostgresRecords.event(turnId, rs), turnId, afterSeq, limit));
    }

    @Override
    public long lastSeq(String turnId) {
        return db.read(sql -> PostgresRecords.lastSeq(sql, turnId));
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
        return db.write(sql -> sql.one("INSERT INTO sessions (id, owner, title, model, created_at, updated_at)"
                + " VALUES (?,?,?,?,?,?) RETURNING " + Rows.SESSION_COLUMNS,
                rows.session, sessionId, owner, title, model, now, now).orElseThrow());
    }

    @Override
    public Optional<Session> updateSession(String owner, String sessionId, SessionPatch p, Instant now) {
        return db.write(sql -> sql.one("UPDATE sessions SET title = coalesce(?, title), pinned = coalesce(?, pinned),"
                        + " archived = coalesce(?, archived), model = coalesce(?, model), updated_at = ?"
                        + " WHERE id = ? AND owner = ? RETURNING " + Rows.SESSION_COLUMNS,
                rows.session, p.title(), p.pinned(), p.archived(), p.model(), now, sessionId, owner));
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
                PostgresRecords.insertMessage(sql, s.id(), withIndex(m, idx++));
            }
            return PostgresRecords.session(sql, rows, s.owner(), s.id()).orElseThrow();
        });
    }

    /**
     * Journal rows are written only while their turn runs: a late batch can never follow a terminal.
     * Each turn's row is locked for share ({@code FOR SHARE}) when its state is read, so an ending
     * (which updates that row) waits for this transaction, or this one sees the turn ended and drops
     * its events. Turns are locked in id order, so two batches never wait on each other.
     */
    @Override
    public void appendJournal(List<TurnEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.write(sql -> {
            Map<String, Long> running = new HashMap<>(); // turn id -> journal key, for running turns only
            for (String turnId : new TreeSet<>(events.stream().map(TurnEvent::turnId).toList())) {
                sql.one("SELECT journal_key FROM turns WHERE id = ? AND state = 'running' FOR SHARE",
                        rs -> rs.getLong(1), turnId).ifPresent(key -> running.put(turnId, key));
            }
            if (running.isEmpty()) {
                return null;
            }
            sql.batch(PostgresRecords.INSERT_EVENT, insert -> {
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

    @Override
    public <T> T transact(Transaction<T> work) {
        return db.write(sql -> work.run(new PostgresRecords(sql, rows)));
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    private static Message withIndex(Message m, int index) {
        return m.index() == index ? m : new Message(index, m.role(), m.content(), m.reasoning(), m.mark(), m.error(),
                m.usageJson(), m.attachments(), m.turnId(), m.createdAt());
    }
}
