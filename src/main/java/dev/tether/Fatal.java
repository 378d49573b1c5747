package dev.tether;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thread that dies of an {@link Error} (an {@code OutOfMemoryError} above all) stops the whole
 * server with exit status {@link #STATUS}, so a supervisor restarts it. Left alone, the server ran on
 * half-alive: its journal flusher gone (replies no longer made durable) and SIGTERM unanswered.
 *
 * <p>The stop runs the shutdown hook (a clean close); if that does not finish within {@link #GRACE}
 * the process is halted. Both threads that do this exist before any error, because a thread may
 * not be creatable once the heap is gone.
 *
 * <p>Threading: {@code dying} makes the first error the only one acted on.
 */
public final class Fatal {
    public static final int STATUS = 70;
    static final Duration GRACE = Duration.ofSeconds(20);

    private Fatal() {}

    public static void install(PrintStream err) {
        AtomicBoolean dying = new AtomicBoolean();
        CountDownLatch died = new CountDownLatch(1);
        // The exit runs on a thread of its own: the shutdown hook may wait for the very thread that died.
        Thread.ofPlatform().daemon().name("tether-fatal-stop").start(() -> {
            try {
                died.await();
            } catch (InterruptedException e) {
                return;
            }
            System.exit(STATUS);
        });
        Thread.ofPlatform().daemon().name("tether-fatal-watchdog").start(() -> {
            try {
                died.await();
                Thread.sleep(GRACE); // a deadline for the clean stop, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(STATUS);
        });
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof Error)) {
                err.println("Exception in thread \"" + thread.getName() + "\": " + e);
                e.printStackTrace(err);
                return;
            }
            if (!dying.compareAndSet(false, true)) {
                return;
            }
            err.println("Tether: thread " + thread.getName() + " died of " + e + "; stopping (exit status "
                    + STATUS + ") rather than running on without it");
            died.countDown();
        });
    }
}
