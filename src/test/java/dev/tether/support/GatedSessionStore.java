package dev.tether.support;

import dev.tether.session.EndOutcome;
import dev.tether.session.SessionStore;
import dev.tether.session.TurnEnding;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store whose first {@code endTurn} for one chosen turn stops at a gate before it reaches the
 * real store: the test learns that the caller arrived ({@link #awaitArrival}), does what it wants
 * to race against that ending, then {@link #open}s the gate. Later ends of the turn pass freely,
 * so the test itself can end it another way meanwhile.
 */
public final class GatedSessionStore extends DelegatingSessionStore {
    private final String gatedTurn;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);

    public GatedSessionStore(SessionStore delegate, String gatedTurn) {
        super(delegate);
        this.gatedTurn = gatedTurn;
    }

    @Override
    public EndOutcome endTurn(TurnEnding ending, Instant now) {
        if (ending.turnId().equals(gatedTurn) && taken.compareAndSet(false, true)) {
            arrived.countDown();
            await(gate, Duration.ofSeconds(30), "the test to open the gate");
        }
        return super.endTurn(ending, now);
    }

    /** Waits until the first end of the gated turn is held at the gate. */
    public void awaitArrival(Duration timeout) {
        await(arrived, timeout, "an end of " + gatedTurn + " to reach the gate");
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
