package dev.tether.session;

import java.time.Duration;
import java.util.List;

/**
 * Port: the instances sharing a store, their leases and their fencing (see {@link Fence}). Every
 * change is a compare-and-set on an instance's epoch; leases are timed by the store's clock, so
 * instances never compare clocks of their own.
 */
public interface Instances {

    /**
     * Registers instance {@code id} with a lease of {@code lease} and returns its fence; registering
     * again (after it was fenced) gives a new epoch, so the turns of the old one stay fenced.
     */
    Fence register(String id, String description, Duration lease);

    /** Extends the lease while the instance still holds {@code fence}; false: it was fenced. */
    boolean renew(Fence fence, Duration lease);

    /**
     * Fences every other instance that is dead, each by a compare-and-set on the epoch it had, and
     * returns the fences that no longer hold. Dead: its lease ran out, or the store can tell its
     * process is gone.
     */
    List<Fence> fenceDead(Fence self);

    /** Running turns whose fence no longer holds: their instance was fenced, or they name none. */
    List<Turn> orphanedTurns();

    /** A clean stop: the instance's row goes (its turns have ended). */
    void retire(Fence self);
}
