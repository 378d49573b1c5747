package dev.tether.session;

import java.time.Instant;
import java.util.List;

/**
 * One transcript entry. {@code index} is its 0-based position in the session. An assistant
 * message written by a turn that did not complete carries a {@link Mark}, and one that failed its
 * {@code error} and the {@code hint} shown under it (what the reader can do), as the live apperror had them.
 */
public record Message(
        int index,
        String role,
        String content,
        String reasoning,
        Mark mark,
        String error,
        String hint,
        String usageJson,
        List<String> attachments,
        String turnId,
        Instant createdAt) {

    public Message {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    /** How an assistant reply ended when it did not complete normally. */
    public enum Mark {
        STOPPED, ERROR, INTERRUPTED;

        public String wire() {
            return name().toLowerCase();
        }

        public static Mark fromWire(String s) {
            return s == null ? null : valueOf(s.toUpperCase());
        }

        /** The mark a reply gets when its turn ends in {@code state}; null when it completed. */
        public static Mark endedAs(TurnState state) {
            return switch (state) {
                case CANCELLED -> STOPPED;
                case FAILED -> ERROR;
                case INTERRUPTED -> INTERRUPTED;
                case COMPLETED, RUNNING -> null;
            };
        }

        /** The mark {@code wire} names, or null for anything else (an imported file may say anything). */
        public static Mark named(String wire) {
            for (Mark m : values()) {
                if (m.wire().equals(wire)) {
                    return m;
                }
            }
            return null;
        }
    }
}
