package dev.tether.turn;

import dev.tether.session.ClearOutcome;
import dev.tether.session.SessionStore;
import dev.tether.session.Turn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once at start, before the server answers anything: every turn the store holds as running
 * was left by a process that died, so each ends {@code interrupted} (journaled terminal event,
 * marked transcript, user message kept, session idle). No time-based guessing: nothing runs yet.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    /** Returns how many turns were interrupted. */
    public static int recover(SessionStore store, TurnRunner runner) {
        int count = 0;
        for (Turn turn : store.runningTurns()) {
            if (runner.interrupt(turn.id()) instanceof ClearOutcome.Cleared) {
                count++;
            }
        }
        if (count > 0) {
            LOG.info("recovered {} interrupted turn(s) from the previous run", count);
        }
        return count;
    }
}
