package dev.tether.session;

import java.time.Instant;
import java.util.List;

/** A message sent while a turn ran, waiting durably to start by itself, in order. */
public record QueuedMessage(
        String id,
        String sessionId,
        long position,
        String content,
        String model,
        String clientMessageId,
        List<String> attachments,
        Instant createdAt) {

    public QueuedMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
