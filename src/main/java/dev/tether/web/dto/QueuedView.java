package dev.tether.web.dto;

import dev.tether.session.QueuedMessage;
import java.time.Instant;
import java.util.List;

/** A message waiting to start; {@code position} 1 starts next. */
public record QueuedView(String queuedId, int position, String message, String model, String clientMessageId,
                         List<String> attachments, Instant createdAt) {

    public static QueuedView of(QueuedMessage q, int position) {
        return new QueuedView(q.id(), position, q.content(), q.model(), q.clientMessageId(), q.attachments(),
                q.createdAt());
    }
}
