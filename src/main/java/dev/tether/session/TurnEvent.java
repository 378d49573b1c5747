package dev.tether.session;

import java.util.Set;

/**
 * One frame of a turn: gapless {@code seq} from 1, an event name from API.md and a one-line JSON
 * payload. The SSE id is {@code <turnId>:<seq>}.
 */
public record TurnEvent(String turnId, long seq, String name, String json) {

    /** Events that end a turn; a turn has exactly one of them. */
    public static final Set<String> TERMINAL = Set.of("done", "cancel", "apperror");

    /** After any of these the server closes the stream. */
    public static final Set<String> CLOSING = Set.of("stream_end", "cancel", "apperror");

    public boolean isTerminal() {
        return TERMINAL.contains(name);
    }

    public boolean closesStream() {
        return CLOSING.contains(name);
    }

    public String eventId() {
        return turnId + ":" + seq;
    }
}
