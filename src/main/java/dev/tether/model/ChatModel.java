package dev.tether.model;

/**
 * A model provider that streams one reply at a time.
 *
 * <p>Threading: {@link #stream} blocks the calling (virtual) thread until the reply is complete,
 * fails, or is stopped. Implementations must be safe for many concurrent calls.
 */
public interface ChatModel {

    /**
     * Streams the reply to {@code request} into {@code sink}, in order, from the calling thread.
     *
     * <p>Returns normally when the provider finished the reply. Throws {@link ModelException} with
     * a user-facing message and hint on any provider fault. When {@code stop} fires, the call must
     * return (or throw {@link ModelException.Stopped}) promptly, aborting any network request,
     * even while blocked waiting for the provider.
     */
    void stream(ModelRequest request, DeltaSink sink, StopSignal stop) throws ModelException;

    /** Receives deltas; called only from the streaming thread. */
    @FunctionalInterface
    interface DeltaSink {
        void accept(ModelDelta delta);
    }
}
