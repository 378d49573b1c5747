package dev.tether.support;

import dev.tether.session.Session;
import dev.tether.session.SessionChanges;
import dev.tether.session.Turn;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every announcement, in order, as it was made. Safe from any thread. */
public final class RecordingSessionChanges implements SessionChanges {

    /** One announcement: {@code kind} is turnStarted, sessionUpdated or sessionDeleted. */
    public record Change(String kind, String sessionId, String detail, Session session) {}

    private final List<Change> changes = new CopyOnWriteArrayList<>();

    @Override
    public void turnStarted(Session session, Turn turn) {
        changes.add(new Change("turnStarted", session.id(), turn.id(), session));
    }

    @Override
    public void sessionUpdated(Session session, String reason) {
        changes.add(new Change("sessionUpdated", session.id(), reason, session));
    }

    @Override
    public void sessionDeleted(String owner, String sessionId) {
        changes.add(new Change("sessionDeleted", sessionId, owner, null));
    }

    public List<Change> all() {
        return List.copyOf(changes);
    }

    /** Each change as {@code kind:detail}, e.g. {@code sessionUpdated:turn_ended}. */
    public List<String> summary() {
        return changes.stream().map(c -> c.kind() + ":" + c.detail()).toList();
    }

    public void clear() {
        changes.clear();
    }
}
