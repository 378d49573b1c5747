package dev.tether.web.sse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.EventPayloads;
import dev.tether.session.Session;

/**
 * One event of a session channel or a sidebar: its SSE name and one-line JSON (API.md). The only
 * place these payloads are written, for the live feed and for the frames a channel opens with.
 */
public record FeedEvent(String name, String json) {

    /** A channel's first frame: the session as it is now. */
    public static FeedEvent initial(Session s) {
        return new FeedEvent("initial", EventPayloads.write(EventPayloads.sessionSummary(s)));
    }

    public static FeedEvent turnStarted(String sessionId, String turnId) {
        return new FeedEvent("turn_started", EventPayloads.write(object().put("session_id", sessionId).put("stream_id", turnId)));
    }

    public static FeedEvent sessionUpdated(Session s) {
        return new FeedEvent("session_updated", EventPayloads.write(EventPayloads.sessionSummary(s)));
    }

    public static FeedEvent title(Session s) {
        return new FeedEvent("title", EventPayloads.write(object().put("session_id", s.id()).put("title", s.title())));
    }

    public static FeedEvent sessionDeleted(String sessionId) {
        return new FeedEvent("session_deleted", EventPayloads.write(object().put("session_id", sessionId)));
    }

    /**
     * On a shared stream: {@code stream_not_found} (the turn is unknown or not the caller's) or
     * {@code stream_gone} (it ended and nothing follows the cursor it was asked from).
     */
    public static FeedEvent turnGone(String name, String turnId) {
        return new FeedEvent(name, EventPayloads.write(object().put("stream_id", turnId)));
    }

    /** On a shared stream: the session is unknown or not the caller's. */
    public static FeedEvent sessionNotFound(String sessionId) {
        return new FeedEvent("session_not_found", EventPayloads.write(object().put("session_id", sessionId)));
    }

    /** The sidebar's invalidation; {@code sessionId} is null when no one session changed (a sidebar's first frame). */
    public static FeedEvent sessionsChanged(long version, String reason, String sessionId) {
        ObjectNode n = object().put("version", version).put("reason", reason);
        if (sessionId != null) {
            n.put("session_id", sessionId);
        }
        return new FeedEvent("sessions_changed", EventPayloads.write(n));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
