package dev.tether.torture;

import dev.tether.torture.StoreSnapshot.TurnRow;
import java.util.function.Predicate;

/** A target whose server processes the run SIGKILLs and starts again. */
interface KillableTarget extends Target {

    /** kill -9 of one server process, mid-whatever. */
    void kill();

    /** Starts the killed process again (its recovery, or another instance's takeover, runs first). */
    void restart();

    /** The turns that died with the last kill: they must have ended {@code interrupted} once it is back. */
    Predicate<TurnRow> diedWithLastKill();

    /** Starts that died of a SIGKILL this run did not send. */
    int externalKills();
}
