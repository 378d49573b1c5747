package dev.tether.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tether.session.Session;
import java.time.Instant;
import java.util.List;

/** A session on the wire. {@code messages} and {@code queued} appear only when asked for. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SessionView(
        String sessionId,
        String title,
        String model,
        boolean pinned,
        boolean archived,
        Instant createdAt,
        Instant updatedAt,
        Instant lastMessageAt,
        int messageCount,
        boolean isStreaming,
        String activeStreamId,
        String pendingUserMessage,
        Instant pendingStartedAt,
        long inputTokens,
        long outputTokens,
        List<String> tools,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<QueuedView> queued,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MessageView> messages) {

    public static SessionView of(Session s) {
        return of(s, null, null, null, null);
    }

    public static SessionView of(Session s, String pendingUserMessage, Instant pendingStartedAt,
                                 List<QueuedView> queued, List<MessageView> messages) {
        return new SessionView(s.id(), s.title(), s.model(), s.pinned(), s.archived(), s.createdAt(),
                s.updatedAt(), s.lastMessageAt(), s.messageCount(), s.isStreaming(), s.activeTurn(),
                pendingUserMessage, pendingStartedAt, s.inputTokens(), s.outputTokens(), s.tools(), queued, messages);
    }
}
