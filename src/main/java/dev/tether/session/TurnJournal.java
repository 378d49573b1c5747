package dev.tether.session;

import java.util.List;

/** Port: where a running turn's events become durable, batched across turns. */
public interface TurnJournal {

    /**
     * Appends events in one transaction, each only while its turn is still running there: a late
     * batch can never follow a turn's terminal event. Events of ended turns are dropped.
     */
    void appendJournal(List<TurnEvent> events);
}
