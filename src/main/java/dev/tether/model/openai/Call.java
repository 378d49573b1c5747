package dev.tether.model.openai;

import dev.tether.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streaming request in flight, and the only place that aborts it. A stop, the first-token
 * timeout or the idle timeout, whichever comes first, cancels the pending response or closes the
 * body stream; either unblocks the streaming thread at once, wherever it is waiting. The first
 * reason wins and decides the exception the streaming thread throws.
 *
 * <p>The watchdog is a single scheduled check per call that re-arms itself for the remaining time,
 * so progress costs a volatile write, not a timer operation per read.
 *
 * <p>Threading: {@link #abort} runs on whichever thread stops the call or on the watchdog thread;
 * everything else on the streaming thread. {@code pending} and {@code body} are published through
 * volatile fields and checked again after publishing, so an abort racing with either is never lost.
 */
final class Call {

    enum Abort { STOPPED, FIRST_TOKEN_TIMEOUT, IDLE_TIMEOUT }

    private final ScheduledExecutorService watchdog;
    private final Duration firstTokenTimeout;
    private final Duration idleTimeout;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    private volatile CompletableFuture<?> pending;
    private volatile InputStream body;
    private volatile long lastReadNanos = startNanos;
    private volatile boolean sawContent;
    private boolean done; // Guarded by this
    private ScheduledFuture<?> check; // Guarded by this

    private Call(ScheduledExecutorService watchdog, Duration firstTokenTimeout, Duration idleTimeout) {
        this.watchdog = watchdog;
        this.firstTokenTimeout = firstTokenTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** A call whose first-token clock starts now. */
    static Call start(ScheduledExecutorService watchdog, Duration firstTokenTimeout, Duration idleTimeout) {
        Call call = new Call(watchdog, firstTokenTimeout, idleTimeout);
        call.arm(firstTokenTimeout.toNanos());
        return call;
    }

    /** Waits for the response headers; an abort makes this throw {@code CancellationException}. */
    <T> T await(CompletableFuture<T> response) throws InterruptedException, ExecutionException {
        pending = response;
        if (abort.get() != null) {
            response.cancel(true);
        }
        return response.get();
    }

    /** Makes {@code in} closable by an abort; returns it for try-with-resources. */
    InputStream attach(InputStream in) {
        body = in;
        if (abort.get() != null) {
            closeQuietly(in);
        }
        return in;
    }

    void sawBytes() {
        lastReadNanos = System.nanoTime();
    }

    /** The first content ends the first-token wait; from here on silence is measured by idleTimeout. */
    void sawContent() {
        if (!sawContent) {
            sawContent = true;
            arm(idleTimeout.toNanos());
        }
    }

    void abort(Abort why) {
        if (!abort.compareAndSet(null, why)) {
            return;
        }
        CompletableFuture<?> response = pending;
        if (response != null) {
            response.cancel(true);
        }
        InputStream in = body;
        if (in != null) {
            closeQuietly(in);
        }
    }

    boolean isAborted() {
        return abort.get() != null;
    }

    /** The exception for the reason this call was aborted; only valid when {@link #isAborted()}. */
    ModelException abortException(ProviderFaults faults) {
        return switch (abort.get()) {
            case STOPPED -> new ModelException.Stopped();
            case FIRST_TOKEN_TIMEOUT -> faults.firstTokenTimeout(firstTokenTimeout);
            case IDLE_TIMEOUT -> faults.idleTimeout(idleTimeout);
        };
    }

    /** Ends the watchdog; later aborts (a late stop) are harmless no-ops on a finished call. */
    synchronized void finish() {
        done = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    private synchronized void arm(long delayNanos) {
        if (done) {
            return;
        }
        if (check != null) {
            check.cancel(false);
        }
        check = watchdog.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void check() {
        long now = System.nanoTime();
        long remaining = sawContent
                ? lastReadNanos + idleTimeout.toNanos() - now
                : startNanos + firstTokenTimeout.toNanos() - now;
        if (remaining > 0) {
            arm(remaining);
        } else if (!done) {
            abort(sawContent ? Abort.IDLE_TIMEOUT : Abort.FIRST_TOKEN_TIMEOUT);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing is how we abort; a failure to close cleanly changes nothing for the caller.
        }
    }
}
