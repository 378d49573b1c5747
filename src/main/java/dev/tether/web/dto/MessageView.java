package dev.tether.web.dto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.Message;
import java.time.Instant;
import java.util.List;

/**
 * A transcript entry on the wire; {@code status} is null, "stopped", "error" or "interrupted"; a
 * failed reply's {@code error} and {@code hint} are its apperror's message and hint.
 */
public record MessageView(
        int index,
        String role,
        String content,
        String reasoning,
        String status,
        String error,
        String hint,
        JsonNode usage,
        List<AttachmentView> attachments,
        String turnId,
        Instant createdAt) {

    public static MessageView of(Message m, JsonNode usage, List<AttachmentView> attachments) {
        return new MessageView(m.index(), m.role(), m.content(), m.reasoning(),
                m.mark() == null ? null : m.mark().wire(), m.error(), m.hint(), usage, attachments, m.turnId(),
                m.createdAt());
    }
}
