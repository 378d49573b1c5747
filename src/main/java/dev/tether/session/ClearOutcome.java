package dev.tether.session;

/** What a stale-turn cleanup did. */
public sealed interface ClearOutcome {

    /** The turn was not running anywhere here and has now ended; the session is idle or moved on. */
    record Cleared(EndOutcome.Ended ended) implements ClearOutcome {}

    /** The turn is alive; nothing was changed. */
    record StillRunning() implements ClearOutcome {}

    /** The turn was no longer active (it ended, or a newer turn took its place); nothing changed. */
    record NotActive() implements ClearOutcome {}
}
