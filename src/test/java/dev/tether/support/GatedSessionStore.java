package dev.tether.support;

import dev.tether.session.SessionStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store whose first transaction after {@link #arm} stops at a gate before it reaches the real
 * store (so it holds no lock and blocks no other write): the test learns that the caller arrived
 * ({@link #awaitArrival}), does what it wants to race against that transaction, then
 * {@link #open}s the gate. Later transactions pass freely, so the test itself can write meanwhile.
 * Arm it right before the call to hold, with nothing else writing in between.
 */
public class GatedSessionStore extends DelegatingSessionStore {
    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);

    public GatedSessionStore(SessionStore delegate) {
        super(delegate);
    }

    /** The next transaction waits at the gate. */
    public void arm() {
        armed.set(true);
    }

    @Override
    public <T> T transact(Transaction<T> work) {
        if (armed.compareAndSet(true, false)) {
            arrived.countDown();
            await(gate, Duration.ofSeconds(30), "the test to open the gate");
        }
        return super.transact(work);
    }

    /** Waits until the held transaction is at the gate. */
    public void awaitArrival(Duration timeout) {
        await(arrived, timeout, "a transaction to reach the gate");
    }

    public void open() {
        gate.countDown();
    }

    private static void await(CountDownLatch latch, Duration timeout, String what) {
        try {
            if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
