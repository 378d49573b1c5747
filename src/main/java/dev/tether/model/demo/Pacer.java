package dev.tether.model.demo;

import dev.tether.model.ModelException;
import dev.tether.model.StopSignal;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Paces a fake reply, and wakes within milliseconds when the reply is stopped: pauses wait on a
 * latch the stop signal opens, never on a bare sleep.
 *
 * <p>Threading: {@link #pause} on the streaming thread; the latch is opened by whichever thread fires
 * the stop signal.
 */
final class Pacer {

    private final CountDownLatch stopped = new CountDownLatch(1);

    Pacer(StopSignal stop) {
        stop.onStop(stopped::countDown);
    }

    /** Waits {@code pause} (zero means: only check), or throws {@code Stopped} as soon as stopped. */
    void pause(Duration pause) throws ModelException.Stopped {
        try {
            boolean isStopped = pause.isPositive()
                    ? stopped.await(pause.toNanos(), TimeUnit.NANOSECONDS)
                    : stopped.getCount() == 0;
            if (isStopped) {
                throw new ModelException.Stopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException.Stopped();
        }
    }
}
