package dev.tether.store.sqlite;

import static dev.tether.store.jdbc.Rows.one;
import static dev.tether.store.jdbc.Rows.query;
import static dev.tether.store.jdbc.Rows.update;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.TimeOrderedId;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import dev.tether.store.jdbc.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state transitions as SQL, each run inside one write transaction. Every change to
 * {@code sessions.active_turn} is an {@code UPDATE ... WHERE active_turn IS <expected>} whose row
 * count decides the outcome; every change of a turn's state requires {@code state = 'running'}.
 */
final class SqliteTransitions {

    /** The journal is keyed by each turn's integer {@code journal_key} (V3 says why); this finds it by turn id. */
    private static final String KEY_OF_TURN = "(SELECT journal_key FROM turns WHERE id = ?)";
    private static final String INSERT_EVENT = "INSERT INTO turn_journal (turn_key, seq, name, data) VALUES (?,?,?,?)";
    private static final long NOT_RUNNING = -1;

    /**
     * Journal rows are written only while their turn runs: a late batch can never follow a terminal.
     * The state is read once per turn of the batch; nothing else writes inside this transaction, so
     * that is the same as checking it for every row (and a third of the cost at 100,000 rows/s).
     */
    static void appendIfRunning(Connection c, List<TurnEvent> events) throws SQLException {
        Map<String, Long> keys = new HashMap<>(); // turn id -> journal key, or NOT_RUNNING
        Rows.batch(c, INSERT_EVENT, insert -> {
            for (TurnEvent e : events) {
                Long key = keys.get(e.turnId());
                if (key == null) {
                    key = one(c, "SELECT journal_key FROM turns WHERE id = ? AND state = 'running'",
                            rs -> rs.getLong(1), e.turnId()).orElse(NOT_RUNNING);
                    keys.put(e.turnId(), key);
                }
                if (key != NOT_RUNNING) {
                    Rows.bind(insert, key, e.seq(), e.name(), e.json());
                    insert.addBatch();
                }
            }
        });
    }

    /**
     * The start, in as few statements as it can (it runs on the single writer, once per turn): the
     * session as it ends up is computed here rather than read back, and its row is written once, by
     * the compare-and-set that activates the turn.
     */
    StartOutcome start(Connection c, StartRequest r, Instant requested) throws SQLException {
        Instant now = requested.truncatedTo(ChronoUnit.MILLIS); // what the row stores, so what it reads back as
        Optional<Session> found = session(c, r.owner(), r.sessionId());
        if (found.isEmpty()) {
            return new StartOutcome.SessionGone();
        }
        Session session = found.get();
        Instant at = session.stampAfter(now);
        if (r.clientMessageId() != null) {
            Optional<StartOutcome> seen = seenBefore(c, session, r.clientMessageId());
            if (seen.isPresent()) {
                return seen.get();
            }
        }
        if (r.expectedMessageCount() != null && r.expectedMessageCount() != session.messageCount()) {
            return new StartOutcome.StaleView(session.messageCount(),
                    "the conversation changed since you loaded it; reload and try again");
        }
        if (session.activeTurn() != null) {
            return r.kind() instanceof StartRequest.Kind.SendOrQueue
                    ? enqueue(c, session, r, at)
                    : new StartOutcome.TurnActive(session.activeTurn());
        }
        String model = r.model() != null ? r.model() : session.model();
        Optional<Session> transcript = prepareTranscript(c, session, r, at);
        if (transcript.isEmpty()) {
            return new StartOutcome.Rejected(r.kind() instanceof StartRequest.Kind.Regenerate
                    ? "there is no user message to answer again"
                    : "edit_index must point at a user message");
        }
        Optional<StartOutcome.Started> started = activate(c, transcript.get(), r.turnId(), r.clientMessageId(), model, at);
        return started.orElseThrow(() -> new IllegalStateException("active_turn changed inside a write transaction"));
    }

    /**
     * CAS {@code active_turn: null → turnId}, writing the row as {@code next} has it (its last
     * message is the user message to answer), then the turn row. Empty if the CAS lost.
     */
    private Optional<StartOutcome.Started> activate(Connection c, Session next, String turnId, String cmid,
                                                    String model, Instant now) throws SQLException {
        int n = update(c, "UPDATE sessions SET active_turn = ?, turn_count = turn_count + 1, message_count = ?,"
                        + " title = ?, updated_at = ?, last_message_at = ? WHERE id = ? AND active_turn IS NULL",
                turnId, next.messageCount(), next.title(), now, next.lastMessageAt(), next.id());
        if (n == 0) {
            return Optional.empty();
        }
        int userIndex = next.messageCount() - 1;
        update(c, "INSERT INTO turns (id, session_id, owner, state, client_message_id, user_message_idx, model,"
                + " started_at, journal_key) VALUES (?,?,?,'running',?,?,?,?,"
                + " (SELECT coalesce(max(journal_key), 0) + 1 FROM turns))",
                turnId, next.id(), next.owner(), cmid, userIndex, model, now);
        Turn turn = new Turn(turnId, next.id(), next.owner(), TurnState.RUNNING, cmid, userIndex, model, now, null);
        return Optional.of(new StartOutcome.Started(turn, next.started(turnId, now)));
    }

    /**
     * Writes the messages so the transcript ends in the user message to answer, and returns the
     * session row as that leaves it (written by {@link #activate}); empty if the kind does not fit.
     */
    private Optional<Session> prepareTranscript(Connection c, Session s, StartRequest r, Instant now)
            throws SQLException {
        return switch (r.kind()) {
            case StartRequest.Kind.Send k -> Optional.of(appendUser(c, s, s.messageCount(), r.content(), r.attachments(), now));
            case StartRequest.Kind.SendOrQueue k -> Optional.of(appendUser(c, s, s.messageCount(), r.content(), r.attachments(), now));
            case StartRequest.Kind.Regenerate k -> {
                Optional<Integer> lastUser = one(c, "SELECT idx FROM messages WHERE session_id = ? AND role = 'user'"
                        + " ORDER BY idx DESC LIMIT 1", rs -> rs.getInt("idx"), s.id());
                if (lastUser.isEmpty()) {
                    yield Optional.empty();
                }
                yield Optional.of(truncate(c, s, lastUser.get() + 1, now));
            }
            case StartRequest.Kind.Edit k -> {
                Optional<String> role = one(c, "SELECT role FROM messages WHERE session_id = ? AND idx = ?",
                        rs -> rs.getString("role"), s.id(), k.index());
                if (role.isEmpty() || !role.get().equals(Message.USER)) {
                    yield Optional.empty();
                }
                yield Optional.of(appendUser(c, truncate(c, s, k.index(), now), k.index(), r.content(),
                        r.attachments(), now));
            }
        };
    }

    /** Inserts the user message at {@code index}; returns the session as it leaves it (the row is not written). */
    private static Session appendUser(Connection c, Session s, int index, String content, List<String> attachments,
                                      Instant now) throws SQLException {
        insertMessage(c, s.id(), index, new Message(index, Message.USER, content, null, null, null, null,
                attachments, null, now));
        return s.changed(s.activeTurn(), index + 1, s.titleWith(index, content), now, now);
    }

    /** Deletes the messages from {@code fromIndex} on; returns the session as it leaves it (the row is not written). */
    private static Session truncate(Connection c, Session s, int fromIndex, Instant now) throws SQLException {
        update(c, "DELETE FROM messages WHERE session_id = ? AND idx >= ?", s.id(), fromIndex);
        return s.changed(s.activeTurn(), fromIndex, s.title(), now, s.lastMessageAt());
    }

    private Optional<StartOutcome> seenBefore(Connection c, Session s, String cmid) throws SQLException {
        Optional<Turn> turn = one(c, "SELECT * FROM turns WHERE session_id = ? AND client_message_id = ?",
                Rows::turn, s.id(), cmid);
        if (turn.isPresent()) {
            return Optional.of(new StartOutcome.Duplicate(turn.get(), s));
        }
        Optional<QueuedMessage> queued = one(c, "SELECT * FROM queued WHERE session_id = ? AND client_message_id = ?",
                Rows::queued, s.id(), cmid);
        if (queued.isPresent()) {
            return Optional.of(new StartOutcome.AlreadyQueued(queued.get(), queuePosition(c, queued.get())));
        }
        return Optional.empty();
    }

    private StartOutcome enqueue(Connection c, Session s, StartRequest r, Instant now) throws SQLException {
        long position = one(c, "SELECT next_queue_pos FROM sessions WHERE id = ?", rs -> rs.getLong(1), s.id())
                .orElseThrow();
        update(c, "UPDATE sessions SET next_queue_pos = next_queue_pos + 1, updated_at = ? WHERE id = ?", now, s.id());
        QueuedMessage q = new QueuedMessage(TimeOrderedId.next(), s.id(), position, r.content(),
                r.model() != null ? r.model() : s.model(), r.clientMessageId(), r.attachments(), now);
        update(c, "INSERT INTO queued (id, session_id, position, content, model, client_message_id, attachments,"
                        + " created_at) VALUES (?,?,?,?,?,?,?,?)", q.id(), q.sessionId(), q.position(), q.content(),
                q.model(), q.clientMessageId(), Rows.joined(q.attachments()), now);
        return new StartOutcome.Queued(q, queuePosition(c, q));
    }

    private static int queuePosition(Connection c, QueuedMessage q) throws SQLException {
        return one(c, "SELECT count(*) FROM queued WHERE session_id = ? AND position <= ?",
                rs -> rs.getInt(1), q.sessionId(), q.position()).orElseThrow();
    }

    /**
     * The end: CAS {@code active_turn: T → null} with the writeback, the journal's last events and
     * the next queued message's start, in as few statements as it can (once per turn, on the single
     * writer); the sessions it returns are computed, not read back.
     */
    EndOutcome end(Connection c, TurnEnding e, Instant requested) throws SQLException {
        Instant now = requested.truncatedTo(ChronoUnit.MILLIS); // what the row stores, so what it reads back as
        Optional<KeyedTurn> found = one(c, "SELECT * FROM turns WHERE id = ?",
                rs -> new KeyedTurn(Rows.turn(rs), rs.getLong("journal_key")), e.turnId());
        if (found.isEmpty() || found.get().turn().state().isTerminal()) {
            return new EndOutcome.NotActive(found.isEmpty() ? List.of() : closingOf(c, e.turnId()));
        }
        Turn t = found.get().turn();
        long key = found.get().journalKey();
        Optional<Session> session = session(c, t.owner(), t.sessionId());
        if (session.isEmpty()) {
            return new EndOutcome.NotActive(List.of());
        }
        Session s = session.get();
        Instant at = s.stampAfter(now);
        int n = update(c, "UPDATE sessions SET active_turn = NULL, message_count = message_count + 1, updated_at = ?,"
                + " last_message_at = ? WHERE id = ? AND active_turn = ?", at, at, t.sessionId(), t.id());
        if (n == 0) {
            return new EndOutcome.NotActive(List.of());
        }
        update(c, "UPDATE turns SET state = ?, ended_at = ? WHERE id = ? AND state = 'running'",
                e.state().wire(), at, t.id());
        insertEvents(c, key, t.id(), e.pending());
        insertMessage(c, t.sessionId(), s.messageCount(), replyMessage(t, e, s.messageCount(), at));
        Session after = s.changed(null, s.messageCount() + 1, s.title(), at, at);
        long lastSeq = one(c, "SELECT coalesce(max(seq), 0) FROM turn_journal WHERE turn_key = ?",
                rs -> rs.getLong(1), key).orElse(0L);
        List<TurnEvent> closing = numbered(t.id(), lastSeq, e.closing().after(after));
        insertEvents(c, key, t.id(), closing);
        Optional<StartOutcome.Started> promoted = promoteQueued(c, after, e.nextTurnId(), at);
        return new EndOutcome.Ended(closing, promoted.map(StartOutcome.Started::session).orElse(after),
                promoted.map(StartOutcome.Started::turn));
    }

    /** A turn row with its journal key (which the domain's {@link Turn} does not carry). */
    private record KeyedTurn(Turn turn, long journalKey) {}

    private static Message replyMessage(Turn t, TurnEnding e, int index, Instant now) {
        TurnEnding.Reply r = e.reply();
        Message.Mark mark = switch (e.state()) {
            case CANCELLED -> Message.Mark.STOPPED;
            case FAILED -> Message.Mark.ERROR;
            case INTERRUPTED -> Message.Mark.INTERRUPTED;
            default -> null;
        };
        return new Message(index, Message.ASSISTANT, r.text(), emptyToNull(r.reasoning()), mark, r.error(),
                r.usageJson(), List.of(), t.id(), now);
    }

    /** Starts the head of the session's queue as the next active turn, in the caller's transaction. */
    private Optional<StartOutcome.Started> promoteQueued(Connection c, Session s, String nextTurnId, Instant now)
            throws SQLException {
        Optional<QueuedMessage> head = one(c, "SELECT * FROM queued WHERE session_id = ? ORDER BY position LIMIT 1",
                Rows::queued, s.id());
        if (head.isEmpty() || nextTurnId == null) {
            return Optional.empty();
        }
        QueuedMessage q = head.get();
        update(c, "DELETE FROM queued WHERE id = ?", q.id());
        Session next = appendUser(c, s, s.messageCount(), q.content(), q.attachments(), now);
        return activate(c, next, nextTurnId, q.clientMessageId(), q.model(), now);
    }

    DeleteOutcome delete(Connection c, String owner, String sessionId, String expectedActive, TurnEnding ending,
                         Instant now) throws SQLException {
        Optional<Session> found = session(c, owner, sessionId);
        if (found.isEmpty()) {
            return new DeleteOutcome.NotFound();
        }
        if (!java.util.Objects.equals(found.get().activeTurn(), expectedActive)) {
            return new DeleteOutcome.ActiveChanged(found.get().activeTurn());
        }
        List<TurnEvent> closing = List.of();
        if (expectedActive != null && ending != null) {
            long last = Math.max(lastSeq(c, expectedActive),
                    ending.pending().isEmpty() ? 0 : ending.pending().getLast().seq());
            closing = numbered(expectedActive, last, ending.closing().after(found.get()));
        }
        int n = update(c, "DELETE FROM sessions WHERE id = ? AND owner = ? AND active_turn IS ?",
                sessionId, owner, expectedActive);
        return n == 0 ? new DeleteOutcome.ActiveChanged(null) : new DeleteOutcome.Deleted(closing);
    }

    // ---- shared pieces ----

    static Optional<Session> session(Connection c, String owner, String sessionId) throws SQLException {
        return one(c, "SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE id = ? AND owner = ?",
                Rows::session, sessionId, owner);
    }

    static long lastSeq(Connection c, String turnId) throws SQLException {
        return one(c, "SELECT coalesce(max(seq), 0) FROM turn_journal WHERE turn_key = " + KEY_OF_TURN,
                rs -> rs.getLong(1), turnId).orElse(0L);
    }

    /** Up to {@code limit} journal events of a turn after {@code afterSeq}, in order. */
    static List<TurnEvent> journal(Connection c, String turnId, long afterSeq, int limit) throws SQLException {
        return query(c, "SELECT seq, name, data FROM turn_journal WHERE turn_key = " + KEY_OF_TURN
                + " AND seq > ? ORDER BY seq LIMIT ?", rs -> event(turnId, rs), turnId, afterSeq, limit);
    }

    private static TurnEvent event(String turnId, ResultSet rs) throws SQLException {
        return new TurnEvent(turnId, rs.getLong("seq"), rs.getString("name"), rs.getString("data"));
    }

    static void insertMessage(Connection c, String sessionId, int index, Message m) throws SQLException {
        update(c, "INSERT INTO messages (session_id, idx, role, content, reasoning, mark, error, usage_json,"
                        + " attachments, turn_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                sessionId, index, m.role(), m.content() == null ? "" : m.content(), m.reasoning(),
                m.mark() == null ? null : m.mark().wire(), m.error(), m.usageJson(), Rows.joined(m.attachments()),
                m.turnId(), m.createdAt() == null ? Instant.now() : m.createdAt());
    }

    private static void insertEvents(Connection c, long key, String turnId, List<TurnEvent> events)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        Rows.batch(c, INSERT_EVENT, ps -> {
            for (TurnEvent e : events) {
                if (!e.turnId().equals(turnId)) {
                    throw new IllegalArgumentException("one turn's events at a time");
                }
                Rows.bind(ps, key, e.seq(), e.name(), e.json());
                ps.addBatch();
            }
        });
    }

    private static List<TurnEvent> numbered(String turnId, long lastSeq, List<TurnEnding.Draft> drafts) {
        List<TurnEvent> out = new ArrayList<>(drafts.size());
        long seq = lastSeq;
        for (TurnEnding.Draft d : drafts) {
            out.add(new TurnEvent(turnId, ++seq, d.name(), d.json()));
        }
        return out;
    }

    /** The events at and after a finished turn's terminal event. */
    private static List<TurnEvent> closingOf(Connection c, String turnId) throws SQLException {
        return query(c, "SELECT seq, name, data FROM turn_journal WHERE turn_key = " + KEY_OF_TURN
                + " AND seq >= (SELECT coalesce(min(seq), 0) FROM turn_journal WHERE turn_key = " + KEY_OF_TURN
                + " AND name IN ('done', 'cancel', 'apperror')) ORDER BY seq", rs -> event(turnId, rs), turnId, turnId);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
