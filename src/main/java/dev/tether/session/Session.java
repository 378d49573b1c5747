package dev.tether.session;

import java.time.Instant;

/**
 * A conversation as stored. {@code activeTurn} is the one turn allowed to write its transcript,
 * or null when idle; it changes only by compare-and-set in {@link SessionStore}.
 */
public record Session(
        String id,
        String owner,
        String title,
        String model,
        boolean pinned,
        boolean archived,
        Instant createdAt,
        Instant updatedAt,
        Instant lastMessageAt,
        String activeTurn,
        int messageCount) {

    public boolean isStreaming() {
        return activeTurn != null;
    }
}
