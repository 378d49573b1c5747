package dev.tether.session;

/**
 * Port: announcements of committed changes, for live session channels and sidebars. Called after
 * the transaction that made the change has committed; implementations must not block.
 */
public interface SessionChanges {

    void turnStarted(Session session, Turn turn);

    /** The transcript or metadata of a session changed (message count, title, flags). */
    void sessionUpdated(Session session, String reason);

    void sessionDeleted(String owner, String sessionId);

    SessionChanges NONE = new SessionChanges() {
        @Override public void turnStarted(Session session, Turn turn) {}
        @Override public void sessionUpdated(Session session, String reason) {}
        @Override public void sessionDeleted(String owner, String sessionId) {}
    };
}
