package dev.tether.web.sse;

import dev.tether.session.Session;
import dev.tether.session.SessionChanges;
import dev.tether.session.Turn;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * In-process fan-out of committed session changes to live session channels ({@code turn_started},
 * {@code session_updated}, {@code title}) and sidebars ({@code sessions_changed}). Each event is
 * serialised once, however many connections it goes to.
 *
 * <p>Threading: listener sets are concurrent; listeners must not block (each SSE connection
 * buffers into its own bounded queue). {@code version} only grows.
 */
public final class SessionFeed implements SessionChanges {

    private final Map<String, Set<Consumer<FeedEvent>>> bySession = new ConcurrentHashMap<>();
    private final Map<String, Set<Consumer<FeedEvent>>> byOwner = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    public Runnable subscribeSession(String sessionId, Consumer<FeedEvent> listener) {
        return subscribe(bySession, sessionId, listener);
    }

    public Runnable subscribeOwner(String owner, Consumer<FeedEvent> listener) {
        return subscribe(byOwner, owner, listener);
    }

    public long version() {
        return version.get();
    }

    private static Runnable subscribe(Map<String, Set<Consumer<FeedEvent>>> map, String key,
                                      Consumer<FeedEvent> listener) {
        map.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> map.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void turnStarted(Session session, Turn turn) {
        turnStarted(session.id(), turn.id());
    }

    void turnStarted(String sessionId, String turnId) {
        publish(bySession, sessionId, () -> FeedEvent.turnStarted(sessionId, turnId));
    }

    @Override
    public void sessionUpdated(Session session, String reason) {
        publish(bySession, session.id(), () -> FeedEvent.sessionUpdated(session));
        publish(bySession, session.id(), () -> FeedEvent.title(session));
        sidebar(session.owner(), reason, session.id());
    }

    @Override
    public void sessionDeleted(String owner, String sessionId) {
        publish(bySession, sessionId, () -> FeedEvent.sessionDeleted(sessionId));
        sidebar(owner, "deleted", sessionId);
    }

    private void sidebar(String owner, String reason, String sessionId) {
        long v = version.incrementAndGet();
        publish(byOwner, owner, () -> FeedEvent.sessionsChanged(v, reason, sessionId));
    }

    /** Builds the event only if someone listens: every start and end announces itself, mostly to no one. */
    private static void publish(Map<String, Set<Consumer<FeedEvent>>> map, String key, Supplier<FeedEvent> event) {
        Set<Consumer<FeedEvent>> listeners = map.get(key);
        if (listeners != null && !listeners.isEmpty()) {
            FeedEvent built = event.get();
            listeners.forEach(l -> l.accept(built));
        }
    }
}
