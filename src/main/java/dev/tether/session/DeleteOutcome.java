package dev.tether.session;

import java.util.List;

/** What deleting a session did. */
public sealed interface DeleteOutcome {

    /** Gone, together with its turns; {@code closing} ended the turn that was running, if any. */
    record Deleted(List<TurnEvent> closing) implements DeleteOutcome {}

    /** The active turn was not the one the caller expected; look again and retry. */
    record ActiveChanged(String activeTurn) implements DeleteOutcome {}

    record NotFound() implements DeleteOutcome {}
}
