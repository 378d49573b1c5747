package dev.tether.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot signal asking a running model call to stop.
 *
 * <p>Threading: {@link #fire()} may be called from any thread, any number of times; callbacks run
 * exactly once, on the thread that fires (or immediately on the registering thread if the signal
 * already fired). Guarded by {@code this}: {@code fired}, {@code callbacks}.
 */
public final class StopSignal {
    private boolean fired;
    private final List<Runnable> callbacks = new ArrayList<>();

    /** Runs {@code callback} when the signal fires (at once if it already has). */
    public void onStop(Runnable callback) {
        synchronized (this) {
            if (!fired) {
                callbacks.add(callback);
                return;
            }
        }
        callback.run();
    }

    public void fire() {
        List<Runnable> toRun;
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
            toRun = List.copyOf(callbacks);
            callbacks.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isStopped() {
        return fired;
    }
}
