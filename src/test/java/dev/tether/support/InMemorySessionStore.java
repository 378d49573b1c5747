package dev.tether.support;

import dev.tether.session.Fence;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.SessionPatch;
import dev.tether.session.SessionRecords;
import dev.tether.session.SessionStore;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnJournal.Appended;
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
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link SessionStore} in memory, for model checking (JDBC is far too slow for it). It holds data,
 * not rules: its transactions offer the same primitives ({@link SessionRecords}) as the SQLite
 * store, and the lifecycle's rules run on them unchanged. It passes the same store contract
 * ({@code SessionStoreContract}), so it cannot drift from the SQLite store unnoticed.
 *
 * <p>Threading: every method is synchronized on this store; one method is one transaction, and a
 * transaction that throws is undone.
 */
public final class InMemorySessionStore implements SessionStore {

    // Guarded by this.
    private final Map<String, Row> sessions = new HashMap<>();
    private final Map<String, Turn> turns = new HashMap<>();
    private final Map<String, TreeMap<Long, TurnEvent>> events = new HashMap<>();
    private final Map<String, List<QueuedMessage>> queues = new HashMap<>();

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
    public synchronized long storedBytes(String owner) {
        return sessions.values().stream().filter(r -> r.session.owner().equals(owner))
                .flatMap(r -> r.messages.stream())
                .mapToLong(m -> bytes(m.content()) + (m.reasoning() == null ? 0 : bytes(m.reasoning()))).sum();
    }

    private static long bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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
    public synchronized List<Session> idleWithWaitingMessages() {
        return sessions.values().stream().map(r -> r.session)
                .filter(s -> s.activeTurn() == null && !queue(s.id()).isEmpty())
                .sorted(Comparator.comparing(Session::updatedAt)).toList();
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
        Session s = new Session(sessionId, owner, title, model, false, false, t, t, null, null, 0, 0, 0, 0);
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
                    s.activeTurn(), s.messageCount(), s.turnCount(), s.inputTokens(), s.outputTokens(),
                    p.tools() != null ? p.tools() : s.tools());
        });
        return found.map(r -> r.session);
    }

    @Override
    public synchronized Session importSession(Session s, List<Message> messages) {
        if (sessions.containsKey(s.id())) {
            throw new IllegalStateException("session id exists: " + s.id());
        }
        Row r = new Row(new Session(s.id(), s.owner(), s.title(), s.model(), s.pinned(), s.archived(),
                ms(s.createdAt()), ms(s.updatedAt()), ms(s.lastMessageAt()), null, messages.size(), 0, 0, 0));
        int idx = 0;
        for (Message m : messages) {
            r.messages.add(stored(idx++, m));
        }
        sessions.put(s.id(), r);
        return r.session;
    }

    @Override
    public synchronized Appended appendJournal(List<TurnEvent> batch, Fence writer) {
        List<TurnEvent> accepted = batch.stream().filter(e -> isRunning(e.turnId())
                && (writer == null || writer.equals(turns.get(e.turnId()).fence()))).toList();
        requireNew(accepted);
        accepted.forEach(this::put);
        // No instances here: a fence is never taken away.
        return new Appended(accepted.stream().map(TurnEvent::turnId).collect(java.util.stream.Collectors.toSet()), false);
    }

    // ---- transactions ----

    /**
     * Runs {@code work} under this store's lock over {@link Records}; if it throws, the state it
     * started from is put back, so a failed transaction changes nothing, as in SQL.
     */
    @Override
    public synchronized <T> T transact(Transaction<T> work) {
        State before = copy();
        try {
            return work.run(new Records());
        } catch (RuntimeException e) {
            restore(before);
            throw e;
        }
    }

    /** The primitives on the maps, each what its SQL does in the SQLite store; no rules. Guarded by the store. */
    private final class Records implements SessionRecords {
        @Override public Optional<Session> session(String owner, String sessionId) {
            return row(owner, sessionId).map(r -> r.session);
        }

        @Override public Optional<Turn> turn(String turnId) {
            return Optional.ofNullable(turns.get(turnId));
        }

        @Override public Optional<Turn> turnOfMessage(String sessionId, String cmid) {
            return turns.values().stream()
                    .filter(t -> t.sessionId().equals(sessionId) && cmid.equals(t.clientMessageId())).findFirst();
        }

        @Override public Optional<QueuedMessage> queuedOfMessage(String sessionId, String cmid) {
            return queue(sessionId).stream().filter(q -> cmid.equals(q.clientMessageId())).findFirst();
        }

        @Override public int queuePlace(QueuedMessage q) {
            return (int) queue(q.sessionId()).stream().filter(o -> o.position() <= q.position()).count();
        }

        @Override public Optional<QueuedMessage> queueHead(String sessionId) {
            return queue(sessionId).stream().findFirst();
        }

        @Override public Optional<Integer> lastUserMessage(String sessionId) {
            List<Message> messages = sessions.get(sessionId).messages;
            return messages.reversed().stream().filter(m -> m.role().equals(Message.USER)).map(Message::index)
                    .findFirst();
        }

        @Override public Optional<String> roleAt(String sessionId, int index) {
            List<Message> messages = sessions.get(sessionId).messages;
            return index >= 0 && index < messages.size() ? Optional.of(messages.get(index).role()) : Optional.empty();
        }

        @Override public long lastSeq(String turnId) {
            return InMemorySessionStore.this.lastSeq(turnId);
        }

        @Override public List<TurnEvent> events(String turnId) {
            return List.copyOf(events.getOrDefault(turnId, new TreeMap<>()).values());
        }

        @Override public List<TurnEvent> eventsFrom(String turnId, Set<String> names) {
            TreeMap<Long, TurnEvent> log = events.getOrDefault(turnId, new TreeMap<>());
            long first = log.values().stream().filter(e -> names.contains(e.name())).mapToLong(TurnEvent::seq)
                    .min().orElse(0);
            return List.copyOf(log.tailMap(first, true).values());
        }

        @Override public boolean replaceActive(String expectedActive, Session next) {
            Row r = sessions.get(next.id());
            if (r == null || !Objects.equals(r.session.activeTurn(), expectedActive)) {
                return false;
            }
            Session s = r.session;
            r.session = new Session(s.id(), s.owner(), next.title(), s.model(), s.pinned(), s.archived(),
                    s.createdAt(), ms(next.updatedAt()), ms(next.lastMessageAt()), next.activeTurn(),
                    next.messageCount(), next.turnCount(), next.inputTokens(), next.outputTokens(), s.tools());
            return true;
        }

        /** This store keeps no instances: a turn's fence holds as long as the turn runs. */
        @Override public long instanceEpoch(String instanceId) {
            return turns.values().stream().filter(t -> t.fence() != null && t.fence().instance().equals(instanceId))
                    .mapToLong(t -> t.fence().epoch()).max().orElse(-1);
        }

        @Override public boolean endTurnRow(String turnId, TurnState state, Instant endedAt) {
            Turn t = turns.get(turnId);
            if (t == null || t.state() != TurnState.RUNNING) {
                return false;
            }
            turns.put(turnId, new Turn(t.id(), t.sessionId(), t.owner(), state, t.clientMessageId(),
                    t.userMessageIndex(), t.model(), t.startedAt(), ms(endedAt), t.fence()));
            return true;
        }

        @Override public boolean deleteSession(String owner, String sessionId, String expectedActive) {
            Optional<Row> r = row(owner, sessionId);
            if (r.isEmpty() || !Objects.equals(r.get().session.activeTurn(), expectedActive)) {
                return false;
            }
            sessions.remove(sessionId);
            queues.remove(sessionId);
            turns.values().removeIf(t -> {
                boolean gone = t.sessionId().equals(sessionId);
                if (gone) {
                    events.remove(t.id());
                }
                return gone;
            });
            return true;
        }

        @Override public void insertTurn(Turn t) {
            if (turns.putIfAbsent(t.id(), t) != null) {
                throw new IllegalStateException("turn id exists: " + t.id());
            }
        }

        @Override public void insertMessage(String sessionId, Message m) {
            List<Message> messages = sessions.get(sessionId).messages;
            if (m.index() != messages.size()) {
                throw new IllegalStateException("message " + m.index() + " would leave a gap or overwrite");
            }
            messages.add(stored(m.index(), m));
        }

        @Override public void deleteMessagesFrom(String sessionId, int index) {
            List<Message> messages = sessions.get(sessionId).messages;
            messages.subList(Math.min(index, messages.size()), messages.size()).clear();
        }

        @Override public long claimQueuePosition(String sessionId, Instant now) {
            Row r = sessions.get(sessionId);
            Session s = r.session;
            r.session = new Session(s.id(), s.owner(), s.title(), s.model(), s.pinned(), s.archived(), s.createdAt(),
                    ms(now), s.lastMessageAt(), s.activeTurn(), s.messageCount(), s.turnCount(), s.inputTokens(),
                    s.outputTokens(), s.tools());
            return r.nextQueuePos++;
        }

        @Override public void insertQueued(QueuedMessage q) {
            queues.computeIfAbsent(q.sessionId(), k -> new ArrayList<>())
                    .add(new QueuedMessage(q.id(), q.sessionId(), q.position(), q.content(), q.model(),
                            q.clientMessageId(), q.attachments(), ms(q.createdAt())));
        }

        @Override public void removeQueued(String queuedId) {
            queues.values().forEach(q -> q.removeIf(m -> m.id().equals(queuedId)));
        }

        @Override public void appendEvents(String turnId, List<TurnEvent> batch) {
            if (batch.stream().anyMatch(e -> !e.turnId().equals(turnId))) {
                throw new IllegalArgumentException("one turn's events at a time");
            }
            requireNew(batch);
            batch.forEach(InMemorySessionStore.this::put);
        }
    }

    /** A message as a row stores it: its index, no null content, millisecond time. */
    private static Message stored(int index, Message m) {
        return new Message(index, m.role(), m.content() == null ? "" : m.content(), m.reasoning(), m.mark(),
                m.error(), m.hint(), m.usageJson(), m.attachments(), m.turnId(),
                m.createdAt() == null ? ms(Instant.now()) : ms(m.createdAt()));
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

    private Optional<Row> row(String owner, String sessionId) {
        Row r = sessions.get(sessionId);
        return r == null || !r.session.owner().equals(owner) ? Optional.empty() : Optional.of(r);
    }

    private List<QueuedMessage> queue(String sessionId) {
        return queues.getOrDefault(sessionId, List.of());
    }

    private boolean isRunning(String turnId) {
        Turn t = turns.get(turnId);
        return t != null && t.state() == TurnState.RUNNING;
    }

    @Override
    public String kind() {
        return "memory";
    }

    /** Everything this store holds, copied deep enough that a failed transaction can be undone. */
    private record State(Map<String, Row> sessions, Map<String, Turn> turns,
                         Map<String, TreeMap<Long, TurnEvent>> events, Map<String, List<QueuedMessage>> queues) {}

    private State copy() {
        Map<String, Row> rows = new HashMap<>();
        sessions.forEach((id, r) -> {
            Row c = new Row(r.session);
            c.messages.addAll(r.messages);
            c.nextQueuePos = r.nextQueuePos;
            rows.put(id, c);
        });
        Map<String, TreeMap<Long, TurnEvent>> logs = new HashMap<>();
        events.forEach((id, log) -> logs.put(id, new TreeMap<>(log)));
        Map<String, List<QueuedMessage>> waiting = new HashMap<>();
        queues.forEach((id, q) -> waiting.put(id, new ArrayList<>(q)));
        return new State(rows, new HashMap<>(turns), logs, waiting);
    }

    private void restore(State s) {
        sessions.clear();
        sessions.putAll(s.sessions());
        turns.clear();
        turns.putAll(s.turns());
        events.clear();
        events.putAll(s.events());
        queues.clear();
        queues.putAll(s.queues());
    }

    private static Instant ms(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }
}
