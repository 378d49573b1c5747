package dev.tether.session;

/**
 * Port: the wake-ups instances sharing a store send each other. The store is the truth; a wake-up
 * only says where to look again, so one that is lost costs latency, never an event (readers look
 * at the store on their own every heartbeat). A store that one process owns has no one to wake
 * ({@link #NONE}).
 */
public interface InstanceBus {

    /** Tells the other instances that a session changed (after its transaction committed); never blocks long. */
    void sessionChanged(String owner, String sessionId, String reason);

    /** Where this instance hears the others; set once, before anything is served. */
    void listen(Listener listener);

    /** What this instance hears; called on the bus's own thread, so each call must return quickly. */
    interface Listener {
        /**
         * The journal of {@code turnId} holds its events up to {@code seq}; {@code ended}: the turn
         * ended (its terminal event is among them) or its session was deleted.
         */
        void journaled(String turnId, long seq, boolean ended);

        /** Another instance changed a session of {@code owner}. */
        void sessionChanged(String owner, String sessionId, String reason);

        /** Wake-ups may have been lost (the bus reconnected): look again at everything followed. */
        void missed();
    }

    InstanceBus NONE = new InstanceBus() {
        @Override public void sessionChanged(String owner, String sessionId, String reason) {}
        @Override public void listen(Listener listener) {}
    };
}
