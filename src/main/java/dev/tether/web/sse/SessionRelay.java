package dev.tether.web.sse;

import dev.tether.session.InstanceBus;
import dev.tether.session.Session;
import dev.tether.session.SessionChanges;
import dev.tether.session.SessionReads;
import dev.tether.session.Turn;
import dev.tether.turn.Wakeups;
import java.util.Optional;

/**
 * Session changes across instances: a change committed here goes to this instance's
 * {@link SessionFeed} and, as a wake-up, to the others; a wake-up from another instance is read
 * back from the store (the truth) and given to this instance's feed as if it had happened here.
 *
 * <p>Threading: stateless; the feed and the bus are thread-safe.
 */
public final class SessionRelay implements SessionChanges, Wakeups.SessionHeard {
    static final String DELETED = "deleted";

    private final SessionFeed feed;
    private final InstanceBus bus;
    private final SessionReads reads;

    public SessionRelay(SessionFeed feed, InstanceBus bus, SessionReads reads) {
        this.feed = feed;
        this.bus = bus;
        this.reads = reads;
    }

    @Override
    public void turnStarted(Session session, Turn turn) {
        feed.turnStarted(session, turn); // the session update that follows every start carries it to the others
    }

    @Override
    public void sessionUpdated(Session session, String reason) {
        feed.sessionUpdated(session, reason);
        bus.sessionChanged(session.owner(), session.id(), reason);
    }

    @Override
    public void sessionDeleted(String owner, String sessionId) {
        feed.sessionDeleted(owner, sessionId);
        bus.sessionChanged(owner, sessionId, DELETED);
    }

    /** A change made by another instance, as the store now has it (it may have changed again since: that is newer). */
    @Override
    public void heard(String owner, String sessionId, String reason) {
        Optional<Session> session = DELETED.equals(reason) ? Optional.empty() : reads.findSession(owner, sessionId);
        if (session.isEmpty()) {
            feed.sessionDeleted(owner, sessionId);
            return;
        }
        Session s = session.get();
        if (s.activeTurn() != null && (reason.equals("turn_started") || reason.equals("turn_ended"))) {
            feed.turnStarted(s.id(), s.activeTurn());
        }
        feed.sessionUpdated(s, reason);
    }
}
