package dev.tether.session;

import java.util.List;
import java.util.Optional;

/** What ending a turn did. */
public sealed interface EndOutcome {

    /**
     * This call ended the turn: writeback and closing events are durable. {@code promoted} is the
     * queued message that became the session's next active turn in the same transaction.
     */
    record Ended(List<TurnEvent> closing, Session session, Optional<Turn> promoted) implements EndOutcome {}

    /** The turn had already ended (or its session is gone); nothing was written. */
    record NotActive(List<TurnEvent> closing) implements EndOutcome {}
}
