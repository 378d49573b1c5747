package dev.tether.turn;

import dev.tether.session.Fence;
import dev.tether.session.Instances;
import dev.tether.session.Turn;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's lease in the store, and the watch over the others'. A platform thread renews the
 * lease five times per lease period; on each round it fences the instances that died and takes
 * over their turns ({@link TurnEnds#takeOver}) on a second thread, so that ending many turns never
 * delays a renewal. If a renewal finds this instance fenced (it was paused, or cut off from the
 * database, past its lease), it lets go of every turn it runs, since another instance ends them,
 * and registers again under a new epoch.
 *
 * <p>Threading: {@code fence} is written by the lease thread (and at start) and read by anyone
 * starting a turn; rounds run on the lease thread only, after the boot round on the caller's;
 * {@code takingOver} admits one takeover at a time.
 */
public final class InstanceLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLease.class);
    /** Rounds between looks at idle sessions whose queue waits (a clean stop of any instance leaves them). */
    private static final int QUEUE_LOOK_EVERY = 15;

    private final Instances instances;
    private final String id;
    private final String description;
    private final Duration lease;
    private volatile Fence fence;
    private volatile boolean closed;
    private final AtomicBoolean takingOver = new AtomicBoolean();
    private final ExecutorService takeovers = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("instance-takeover").factory());
    private TurnEnds ends;
    private Thread thread;

    /** Registers instance {@code id} at once: the turns started from now on carry its fence. */
    public InstanceLease(Instances instances, String id, String description, Duration lease) {
        this.instances = instances;
        this.id = id;
        this.description = description;
        this.lease = lease;
        this.fence = instances.register(id, description, lease);
    }

    /** The fence the turns this instance starts carry. */
    public Fence fence() {
        return fence;
    }

    /**
     * Boot: fences the dead instances and takes over their turns before anything is served (the
     * previous process on this store is one of them), then keeps the lease on its own thread.
     * Returns how many turns were taken over.
     */
    public int start(TurnEnds turnEnds) {
        this.ends = turnEnds;
        instances.fenceDead(fence);
        int taken = ends.takeOver(instances.orphanedTurns());
        ends.startWaiting();
        thread = Thread.ofPlatform().daemon().name("instance-lease").start(this::loop);
        return taken;
    }

    /** Asks for a round now (a journal pass found this instance fenced). */
    public void lookNow() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void loop() {
        long period = lease.toNanos() / 5;
        for (long round = 1; !closed; round++) {
            LockSupport.parkNanos(this, period);
            if (closed) {
                return;
            }
            try {
                round(round % QUEUE_LOOK_EVERY == 0);
            } catch (RuntimeException e) {
                LOG.warn("instance lease round failed; will retry: {}", e.toString());
            }
        }
    }

    /** Renews (or, fenced, lets go and registers again), then fences the dead and takes over their turns. */
    private void round(boolean lookAtQueues) {
        if (!instances.renew(fence, lease)) {
            ends.releaseAll();
            fence = instances.register(id, description, lease);
            LOG.warn("instance {} registered again as epoch {}", id, fence.epoch());
        }
        List<Fence> fenced = instances.fenceDead(fence);
        fenced.forEach(f -> LOG.warn("instance {} (epoch {}) is gone or stopped renewing its lease: fenced",
                f.instance(), f.epoch()));
        if (takingOver.compareAndSet(false, true)) {
            takeovers.execute(() -> {
                try {
                    List<Turn> orphans = instances.orphanedTurns();
                    ends.takeOver(orphans);
                    if (lookAtQueues || !fenced.isEmpty() || !orphans.isEmpty()) {
                        ends.startWaiting();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("taking over turns failed; will retry: {}", e.toString());
                } finally {
                    takingOver.set(false);
                }
            });
        }
    }

    /** Stops the rounds and gives up the lease; call after this instance's turns have ended. */
    @Override
    public void close() {
        closed = true;
        takeovers.shutdownNow();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            instances.retire(fence);
        } catch (RuntimeException e) {
            LOG.warn("could not retire instance {}; others will fence it when its lease runs out: {}", id, e.toString());
        }
    }
}
