package dev.tether.session;

import java.util.List;

/**
 * How a turn ends: its terminal state, what it writes back to the transcript, the journal events
 * not yet durable, and the closing events, built from the session as it is after the writeback.
 * {@code nextTurnId} is the id a queued message gets if it starts in the same transaction; the
 * caller reserves it beforehand so that turn is known to the live machinery before it exists.
 */
public record TurnEnding(
        String turnId,
        TurnState state,
        Reply reply,
        List<TurnEvent> pending,
        ClosingEvents closing,
        String nextTurnId) {

    public TurnEnding {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a turn ends in a terminal state, not " + state);
        }
        pending = List.copyOf(pending);
    }

    /** The assistant message written by the ending turn (partial text on stop, error, crash). */
    public record Reply(String text, String reasoning, String usageJson, String error, String hint) {
        public static final Reply EMPTY = new Reply("", "", null, null, null);

        /** A reply without an error hint. */
        public Reply(String text, String reasoning, String usageJson, String error) {
            this(text, reasoning, usageJson, error, null);
        }
    }

    /** Drafts of the final events (terminal first); the store numbers them after the pending ones. */
    public record Draft(String name, String json) {}

    @FunctionalInterface
    public interface ClosingEvents {
        List<Draft> after(Session session);
    }
}
