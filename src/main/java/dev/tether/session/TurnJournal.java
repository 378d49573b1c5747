package dev.tether.session;

import java.util.List;

/** Port: where a running turn's events become durable, batched across turns. */
public interface TurnJournal {

    /**
     * Appends events in one transaction, each only while its turn is still running there: a late
     * batch can never follow a turn's terminal event. Events of ended turns are dropped. With a
     * {@code writer} fence, events land only for turns that carry it, and only while the instance
     * still holds it; false means it does not (this instance was fenced) and nothing was written.
     */
    boolean appendJournal(List<TurnEvent> events, Fence writer);

    /** As above, for a writer without a fence (a store used by one process that registered none). */
    default void appendJournal(List<TurnEvent> events) {
        appendJournal(events, null);
    }
}
