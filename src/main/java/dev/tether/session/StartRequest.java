package dev.tether.session;

import java.util.List;

/**
 * A request to start a turn. {@code turnId} is chosen by the caller before the store sees it, so
 * the live machinery can know the turn before it becomes active (a cancel can always find it).
 */
public record StartRequest(
        String owner,
        String sessionId,
        String turnId,
        String content,
        String model,
        String clientMessageId,
        List<String> attachments,
        Kind kind,
        Integer expectedMessageCount) {

    public StartRequest {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** What the start does to the transcript. A mode is a type, not a flag. */
    public sealed interface Kind {
        /** Append a user message; 409 when a turn runs. */
        record Send() implements Kind {}

        /** Append a user message, or queue it durably when a turn runs. */
        record SendOrQueue() implements Kind {}

        /**
         * Drop the last assistant reply and answer the last user message again. {@code replyIndex}
         * (nullable) names the reply the caller means to replace: when it is no longer the last
         * reply, the start is refused rather than applied to a newer one.
         */
        record Regenerate(Integer replyIndex) implements Kind {
            public Regenerate() {
                this(null);
            }
        }

        /** Replace user message {@code index} and everything after it. */
        record Edit(int index) implements Kind {}
    }
}
