package dev.tether.support;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SessionStore} in memory with the same compare-and-set semantics as the SQL stores, for
 * model checking (JDBC is far too slow for it). It passes the same store contract
 * ({@code SessionStoreContract}), so it cannot drift from the SQLite store unnoticed.
 *
 * <p>Threading: every method is synchronized on this store; one method is one transaction. Each
 * transition validates before it mutates, so a failing call changes nothing. Queue ids are a
 * counter (not random) so that model-checking runs are reproducible.
 */
public final class InMemorySessionStore implements SessionStore {

    // Guarded by this.
    private final Map<String, Row> sessions = new HashMap<>();
    private final Map<String, Turn> turns = new HashMap<>();
    private final Map<String, TreeMap<Long, TurnEvent>> events = new HashMap<>();
    private final Map<String, List<QueuedMessage>> queues = new HashMap<>();
    private long queueIds;

    /** A session row: the record plus its transcript and next queue position. */
    private static final class Row {
        Session session;
        final List<Message> messages = new ArrayList<>();
        long nextQueuePos = 1;

        Row(Session session) {
            this.session = session;
        }
    }

    // ---- reads ----

    @Override
    public synchronized Optional<Session> findSession(String owner, String sessionId) {
        return row(owner, sessionId).map(r -> r.session);
    }

    @Override
    public synchronized List<Session> listSessions(String owner, boolean includeArchived, String query) {
        String q = query == null || query.isBlank() ? null : query.trim().toLowerCase(Locale.ROOT);
        return sessions.values().stream()
                .filter(r -> r.session.owner().equals(owner))
                .filter(r -> includeArchived || !r.session.archived())
                .filter(r -> q == null || matches(r, q))
                .map(r -> r.session)
                .sorted(Comparator.comparing(Session::pinned).reversed()
                        .thenComparing(Session::updatedAt, Comparator.reverseOrder())
                        .thenComparing(Session::id))
                .limit(1000)
                .toList();
    }

    /** SQLite's LIKE is case-insensitive for ASCII; with the metacharacters escaped it is a contains. */
    private static boolean matches(Row r, String q) {
        return r.session.title().toLowerCase(Locale.ROOT).contains(q)
                || r.messages.stream().anyMatch(m -> m.content().toLowerCase(Locale.ROOT).contains(q));
    }

    @Override
    public synchronized List<Message> messages(String owner, String sessionId, int limit, Integer before) {
        Optional<Row> row = row(owner, sessionId);
        if (row.isEmpty()) {
            return List.of();
        }
        int end = Math.min(row.get().messages.size(), before == null ? Integer.MAX_VALUE : Math.max(before, 0));
        return List.copyOf(row.get().messages.subList(Math.max(0, end - limit), end));
    }

    @Override
    public synchronized Optional<Transcript> transcript(String owner, String sessionId, int limit) {
        return row(owner, sessionId).map(r -> new Transcript(r.session, messages(owner, sessionId, limit, null)));
    }

    @Override
    public synchronized List<QueuedMessage> queued(String owner, String sessionId) {
        return row(owner, sessionId).isEmpty() ? List.of() : List.copyOf(queue(sessionId));
    }

    @Override
    public synchronized Optional<Turn> findTurn(String owner, String turnId) {
        Turn t = turns.get(turnId);
        return t == null || (owner != null && !owner.equals(t.owner())) ? Optional.empty() : Optional.of(t);
    }

    @Override
    public synchronized List<TurnEvent> journal(String turnId, long afterSeq, int limit) {
        TreeMap<Long, TurnEvent> log = events.get(turnId);
        return log == null ? List.of() : log.tailMap(afterSeq, false).values().stream().limit(limit).toList();
    }

    @Override
    public synchronized long lastSeq(String turnId) {
        TreeMap<Long, TurnEvent> log = events.get(turnId);
        return log == null || log.isEmpty() ? 0 : log.lastKey();
    }

    @Override
    public synchronized List<Turn> runningTurns() {
        return turns.values().stream().filter(t -> t.state() == TurnState.RUNNING)
                .sorted(Comparator.comparing(Turn::startedAt)).toList();
    }

    @Override
    public synchronized Counts counts() {
        return new Counts(sessions.size(), turns.values().stream().filter(t -> t.state() == TurnState.RUNNING).count());
    }

    // ---- plain writes ----

    @Override
    public synchronized Session createSession(String owner, String sessionId, String title, String model,
                                              Instant now) {
        if (sessions.containsKey(sessionId)) {
            throw new IllegalStateException("session id exists: " + sessionId);
        }
        Instant t = ms(now);
        Session s = new Session(sessionId, owner, title, model, false, false, t, t, null, null, 0, 0);
        sessions.put(sessionId, new Row(s));
        return s;
    }

    @Override
    public synchronized Optional<Session> updateSession(String owner, String sessionId, SessionPatch p, Instant now) {
        Optional<Row> found = row(owner, sessionId);
        found.ifPresent(r -> {
            Session s = r.session;
            r.session = new Session(s.id(), s.owner(), p.title() != null ? p.title() : s.title(),
                    p.model() != null ? p.model() : s.model(), p.pinned() != null ? p.pinned() : s.pinned(),
                    p.archived() != null ? p.archived() : s.archived(), s.createdAt(), ms(now), s.lastMessageAt(),
                    s.activeTurn(), s.messageCount(), s.turnCount());
        });
        return found.map(r -> r.session);
    }

    @Override
    public synchronized Session importSession(Session s, List<Message> messages) {
        if (sessions.containsKey(s.id())) {
            throw new IllegalStateException("session id exists: " + s.id());
        }
        Row r = new Row(new Session(s.id(), s.owner(), s.title(), s.model(), s.pinned(), s.archived(),
                ms(s.createdAt()), ms(s.updatedAt()), ms(s.lastMessageAt()), null, messages.size(), 0));
        int idx = 0;
        for (Message m : messages) {
            r.messages.add(stored(idx++, m));
        }
        sessions.put(s.id(), r);
        return r.session;
    }

    @Override
    public synchronized void appendJournal(List<TurnEvent> batch) {
        List<TurnEvent> accepted = batch.stream().filter(e -> isRunning(e.turnId())).toList();
        requireNew(accepted);
        accepted.forEach(this::put);
    }

    // ---- transitions ----

    @Override
    public synchronized StartOutcome startTurn(StartRequest r, Instant now) {
        Optional<Row> found = row(r.owner(), r.sessionId());
        if (found.isEmpty()) {
            return new StartOutcome.SessionGone();
        }
        Row row = found.get();
        Session s = row.session;
        Instant at = s.stampAfter(ms(now));
        if (r.clientMessageId() != null) {
            Optional<StartOutcome> seen = seenBefore(s, r.clientMessageId());
            if (seen.isPresent()) {
                return seen.get();
            }
        }
        if (r.expectedMessageCount() != null && r.expectedMessageCount() != s.messageCount()) {
            return new StartOutcome.StaleView(s.messageCount(),
                    "the conversation changed since you loaded it; reload and try again");
        }
        if (s.activeTurn() != null) {
            return r.kind() instanceof StartRequest.Kind.SendOrQueue
                    ? enqueue(row, r, at)
                    : new StartOutcome.TurnActive(s.activeTurn());
        }
        if (turns.containsKey(r.turnId())) {
            throw new IllegalStateException("turn id exists: " + r.turnId());
        }
        Optional<Integer> userIndex = prepareTranscript(row, r, at);
        if (userIndex.isEmpty()) {
            return new StartOutcome.Rejected(r.kind() instanceof StartRequest.Kind.Regenerate
                    ? "there is no user message to answer again"
                    : "edit_index must point at a user message");
        }
        String model = r.model() != null ? r.model() : s.model();
        Turn turn = activate(row, r.turnId(), r.clientMessageId(), userIndex.get(), model, at);
        return new StartOutcome.Started(turn, row.session);
    }

    @Override
    public synchronized EndOutcome endTurn(TurnEnding e, Instant now) {
        Turn t = turns.get(e.turnId());
        if (t == null || t.state().isTerminal()) {
            return new EndOutcome.NotActive(t == null ? List.of() : closingOf(t.id()));
        }
        Row row = sessions.get(t.sessionId());
        if (row == null || !t.id().equals(row.session.activeTurn())) {
            return new EndOutcome.NotActive(List.of());
        }
        requireNew(e.pending());
        Instant at = row.session.stampAfter(ms(now));
        turns.put(t.id(), withState(t, e.state(), at));
        e.pending().forEach(this::put);
        Session s = row.session;
        row.messages.add(reply(t, e, s.messageCount(), at));
        row.session = s.changed(null, s.messageCount() + 1, s.title(), at, at);
        List<TurnEvent> closing = numbered(t.id(), lastSeq(t.id()), e.closing().after(row.session));
        closing.forEach(this::put);
        Optional<Turn> promoted = promote(row, e.nextTurnId(), at);
        return new EndOutcome.Ended(closing, row.session, promoted);
    }

    @Override
    public synchronized DeleteOutcome deleteSession(String owner, String sessionId, String expectedActive,
                                                    TurnEnding ending, Instant now) {
        Optional<Row> found = row(owner, sessionId);
        if (found.isEmpty()) {
            return new DeleteOutcome.NotFound();
        }
        Session s = found.get().session;
        if (!Objects.equals(s.activeTurn(), expectedActive)) {
            return new DeleteOutcome.ActiveChanged(s.activeTurn());
        }
        List<TurnEvent> closing = List.of();
        if (expectedActive != null && ending != null) {
            long last = Math.max(lastSeq(expectedActive),
                    ending.pending().isEmpty() ? 0 : ending.pending().getLast().seq());
            closing = numbered(expectedActive, last, ending.closing().after(s));
        }
        sessions.remove(sessionId);
        queues.remove(sessionId);
        List<String> gone = turns.values().stream().filter(t -> t.sessionId().equals(sessionId)).map(Turn::id).toList();
        gone.forEach(id -> {
            turns.remove(id);
            events.remove(id);
        });
        return new DeleteOutcome.Deleted(closing);
    }

    // ---- pieces ----

    private Optional<Row> row(String owner, String sessionId) {
        Row r = sessions.get(sessionId);
        return r == null || !r.session.owner().equals(owner) ? Optional.empty() : Optional.of(r);
    }

    private List<QueuedMessage> queue(String sessionId) {
        return queues.computeIfAbsent(sessionId, k -> new ArrayList<>());
    }

    private boolean isRunning(String turnId) {
        Turn t = turns.get(turnId);
        return t != null && t.state() == TurnState.RUNNING;
    }

    private Optional<StartOutcome> seenBefore(Session s, String cmid) {
        Optional<Turn> turn = turns.values().stream()
                .filter(t -> t.sessionId().equals(s.id()) && cmid.equals(t.clientMessageId())).findFirst();
        if (turn.isPresent()) {
            return Optional.of(new StartOutcome.Duplicate(turn.get(), s));
        }
        List<QueuedMessage> q = queue(s.id());
        for (int i = 0; i < q.size(); i++) {
            if (cmid.equals(q.get(i).clientMessageId())) {
                return Optional.of(new StartOutcome.AlreadyQueued(q.get(i), i + 1));
            }
        }
        return Optional.empty();
    }

    private StartOutcome enqueue(Row row, StartRequest r, Instant now) {
        Session s = row.session;
        QueuedMessage q = new QueuedMessage("q" + (++queueIds), s.id(), row.nextQueuePos++, r.content(),
                r.model() != null ? r.model() : s.model(), r.clientMessageId(), r.attachments(), now);
        queue(s.id()).add(q);
        row.session = s.changed(s.activeTurn(), s.messageCount(), s.title(), now, s.lastMessageAt());
        return new StartOutcome.Queued(q, queue(s.id()).size());
    }

    private Optional<Integer> prepareTranscript(Row row, StartRequest r, Instant now) {
        return switch (r.kind()) {
            case StartRequest.Kind.Send k -> Optional.of(appendUser(row, row.session.messageCount(), r, now));
            case StartRequest.Kind.SendOrQueue k -> Optional.of(appendUser(row, row.session.messageCount(), r, now));
            case StartRequest.Kind.Regenerate k -> {
                Optional<Integer> lastUser = row.messages.stream().filter(m -> m.role().equals(Message.USER))
                        .map(Message::index).max(Integer::compare);
                lastUser.ifPresent(i -> truncate(row, i + 1, now));
                yield lastUser;
            }
            case StartRequest.Kind.Edit k -> {
                if (k.index() < 0 || k.index() >= row.messages.size()
                        || !row.messages.get(k.index()).role().equals(Message.USER)) {
                    yield Optional.empty();
                }
                truncate(row, k.index(), now);
                yield Optional.of(appendUser(row, k.index(), r, now));
            }
        };
    }

    private int appendUser(Row row, int index, StartRequest r, Instant now) {
        return appendUser(row, index, r.content(), r.attachments(), now);
    }

    private int appendUser(Row row, int index, String content, List<String> attachments, Instant now) {
        row.messages.add(stored(index, new Message(index, Message.USER, content, null, null, null, null,
                attachments, null, now)));
        Session s = row.session;
        String title = s.titleWith(index, content);
        row.session = s.changed(s.activeTurn(), index + 1, title, now, now);
        return index;
    }

    private void truncate(Row row, int fromIndex, Instant now) {
        row.messages.subList(Math.min(fromIndex, row.messages.size()), row.messages.size()).clear();
        Session s = row.session;
        row.session = s.changed(s.activeTurn(), fromIndex, s.title(), now, s.lastMessageAt());
    }

    private Turn activate(Row row, String turnId, String cmid, int userIndex, String model, Instant now) {
        Session s = row.session;
        row.session = s.started(turnId, now);
        Turn turn = new Turn(turnId, s.id(), s.owner(), TurnState.RUNNING, cmid, userIndex, model, now, null);
        turns.put(turnId, turn);
        return turn;
    }

    private Optional<Turn> promote(Row row, String nextTurnId, Instant now) {
        List<QueuedMessage> q = queue(row.session.id());
        if (q.isEmpty() || nextTurnId == null) {
            return Optional.empty();
        }
        QueuedMessage head = q.removeFirst();
        int index = appendUser(row, row.session.messageCount(), head.content(), head.attachments(), now);
        return Optional.of(activate(row, nextTurnId, head.clientMessageId(), index, head.model(), now));
    }

    private static Message reply(Turn t, TurnEnding e, int index, Instant now) {
        TurnEnding.Reply r = e.reply();
        Message.Mark mark = switch (e.state()) {
            case CANCELLED -> Message.Mark.STOPPED;
            case FAILED -> Message.Mark.ERROR;
            case INTERRUPTED -> Message.Mark.INTERRUPTED;
            default -> null;
        };
        String reasoning = r.reasoning() == null || r.reasoning().isEmpty() ? null : r.reasoning();
        return new Message(index, Message.ASSISTANT, r.text() == null ? "" : r.text(), reasoning, mark, r.error(),
                r.usageJson(), List.of(), t.id(), now);
    }

    /** A message as a row stores it: its index, no null content, millisecond time. */
    private static Message stored(int index, Message m) {
        return new Message(index, m.role(), m.content() == null ? "" : m.content(), m.reasoning(), m.mark(),
                m.error(), m.usageJson(), m.attachments(), m.turnId(),
                m.createdAt() == null ? ms(Instant.now()) : ms(m.createdAt()));
    }

    private List<TurnEvent> closingOf(String turnId) {
        TreeMap<Long, TurnEvent> log = events.getOrDefault(turnId, new TreeMap<>());
        long terminal = log.values().stream().filter(TurnEvent::isTerminal).mapToLong(TurnEvent::seq).min().orElse(0);
        return List.copyOf(log.tailMap(terminal, true).values());
    }

    private void requireNew(List<TurnEvent> batch) {
        for (TurnEvent e : batch) {
            TreeMap<Long, TurnEvent> log = events.get(e.turnId());
            if (log != null && log.containsKey(e.seq())) {
                throw new IllegalStateException("journal already has " + e.eventId());
            }
        }
    }

    private void put(TurnEvent e) {
        events.computeIfAbsent(e.turnId(), k -> new TreeMap<>()).put(e.seq(), e);
    }

    private static List<TurnEvent> numbered(String turnId, long lastSeq, List<TurnEnding.Draft> drafts) {
        List<TurnEvent> out = new ArrayList<>(drafts.size());
        long seq = lastSeq;
        for (TurnEnding.Draft d : drafts) {
            out.add(new TurnEvent(turnId, ++seq, d.name(), d.json()));
        }
        return out;
    }

    private static Turn withState(Turn t, TurnState state, Instant endedAt) {
        return new Turn(t.id(), t.sessionId(), t.owner(), state, t.clientMessageId(), t.userMessageIndex(),
                t.model(), t.startedAt(), endedAt);
    }

    private static Instant ms(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }
}
