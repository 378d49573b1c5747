package dev.tether.model.openai;

import dev.tether.model.ModelException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One provider request in flight (a stream, or the model list), and the only place that aborts it.
 * A stop, the first-token timeout or the idle timeout, whichever comes first, aborts the exchange
 * (fails the request and closes its connection), which unblocks the streaming thread at once,
 * wherever it is waiting: connecting, sending, or reading. The first reason wins and decides the
 * exception the streaming thread throws.
 *
 * <p>The watchdog is a single scheduled check per call that re-arms itself for the remaining time,
 * so progress costs a volatile write, not a timer operation per read.
 *
 * <p>Threading: {@link #abort} runs on whichever thread stops the call or on the watchdog thread;
 * everything else on the streaming thread. {@code exchange} is published through a volatile field
 * and the abort is checked again after publishing, so an abort racing with it is never lost.
 */
final class Call {

    enum Abort { STOPPED, FIRST_TOKEN_TIMEOUT, IDLE_TIMEOUT }

    private final ScheduledExecutorService watchdog;
    private final Duration firstTokenTimeout;
    private final Duration idleTimeout;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    private volatile Exchange exchange;
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

    /** Makes the request in flight abortable; called before it connects, sends or waits. */
    void attach(Exchange e) {
        exchange = e;
        if (abort.get() != null) {
            e.abort();
        }
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
        Exchange e = exchange;
        if (e != null) {
            e.abort();
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
}
