package dev.tether.turn;

import dev.tether.session.ClearOutcome;
import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.Session;
import dev.tether.session.Turn;
import dev.tether.session.TurnState;
import java.util.Optional;

/**
 * Stopping turns from outside their worker: cancel (the user's Stop) and session delete, which
 * ends the running turn in the same transaction that removes the session. Both work while the
 * model call hangs: they never wait for the worker.
 */
public final class Cancellation {
    private static final int MAX_ATTEMPTS = 100;

    private final TurnRunner runner;

    public Cancellation(TurnRunner runner) {
        this.runner = runner;
    }

    /** What a cancel did. */
    public sealed interface CancelOutcome {
        record Cancelled(Turn turn) implements CancelOutcome {}

        /** The turn had already ended; its reply stays as it was. */
        record AlreadyEnded(Turn turn) implements CancelOutcome {}

        record NotFound() implements CancelOutcome {}
    }

    public CancelOutcome cancel(String owner, String turnId) {
        Optional<Turn> found = runner.store().findTurn(owner, turnId);
        if (found.isEmpty()) {
            return new CancelOutcome.NotFound();
        }
        Turn turn = found.get();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<LiveTurn> live = runner.live().find(turnId);
            if (live.isPresent()) {
                Optional<EndOutcome> ended = runner.end(live.get(), TurnState.CANCELLED, EventJson.cancel(), null);
                return ended.orElse(null) instanceof EndOutcome.Ended
                        ? new CancelOutcome.Cancelled(turn) : new CancelOutcome.AlreadyEnded(turn);
            }
            switch (runner.endDetached(turnId, TurnState.CANCELLED, EventJson.cancel(), null)) {
                case ClearOutcome.Cleared c -> {
                    return new CancelOutcome.Cancelled(turn);
                }
                case ClearOutcome.NotActive n -> {
                    return new CancelOutcome.AlreadyEnded(turn);
                }
                case ClearOutcome.StillRunning r -> { } // became live meanwhile: take the live path
            }
        }
        throw new IllegalStateException("could not settle cancel of turn " + turnId);
    }

    /** Deletes a session, ending its running turn atomically; false if there is no such session. */
    public boolean deleteSession(String owner, String sessionId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Session> session = runner.store().findSession(owner, sessionId);
            if (session.isEmpty()) {
                return false;
            }
            String active = session.get().activeTurn();
            Optional<LiveTurn> live = active == null ? Optional.empty() : runner.live().find(active);
            DeleteOutcome outcome = live.isPresent()
                    ? runner.deleteWithLiveTurn(owner, sessionId, live.get())
                    : runner.lifecycle().delete(owner, sessionId, active, active == null ? null
                            : DetachedEnding.of(runner.store(), active, TurnState.CANCELLED, EventJson.cancel(), null, null));
            switch (outcome) {
                case DeleteOutcome.Deleted d -> {
                    return true;
                }
                case DeleteOutcome.NotFound n -> {
                    return false;
                }
                case DeleteOutcome.ActiveChanged changed -> { } // a turn started or ended meanwhile: look again
            }
        }
        throw new IllegalStateException("could not settle delete of session " + sessionId);
    }
}
