package dev.tether.session;

import java.util.List;

/**
 * How a turn ends: its terminal state, what it writes back to the transcript, the journal events
 * not yet durable, and the closing events, built from the session as it is after the writeback.
 * {@code nextTurnId} is the id a queued message gets if it starts in the same transaction; the
 * caller reserves it beforehand so that turn is known to the live machinery before it exists.
 * {@code writer} is the fence of the worker writing its own ending (null for an ending from outside
 * the worker: a Stop on another instance, a takeover); such an ending lands only while it holds.
 */
public record TurnEnding(
        String turnId,
        TurnState state,
        Reply reply,
        List<TurnEvent> pending,
        ClosingEvents closing,
        String nextTurnId,
        Fence writer) {

    /** An ending that is not the worker's own: it needs no fence. */
    public TurnEnding(String turnId, TurnState state, Reply reply, List<TurnEvent> pending, ClosingEvents closing,
                      String nextTurnId) {
        this(turnId, state, reply, pending, closing, nextTurnId, null);
    }

    public TurnEnding {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a turn ends in a terminal state, not " + state);
        }
        pending = List.copyOf(pending);
    }

    /** The assistant message written by the ending turn (partial text on stop, error, crash). */
    public record Reply(String text, String reasoning, String usageJson, String error) {
        public static final Reply EMPTY = new Reply("", "", null, null);
    }

    /** Drafts of the final events (terminal first); the store numbers them after the pending ones. */
    public record Draft(String name, String json) {}

    @FunctionalInterface
    public interface ClosingEvents {
        List<Draft> after(Session session);
    }
}
