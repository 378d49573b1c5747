package dev.tether.turn;

import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live log of one running turn: numbers events gaplessly, keeps a bounded window of recent
 * events for subscribers, and hands undurable events to the journal.
 *
 * <p>Subscribers see an event only once it is durable. An event shown before it was journaled
 * could be lost in a crash, and recovery would then give its seq to a different event (the
 * {@code interrupted} apperror): a client resuming from it would skip the terminal event, and text
 * it showed would vanish. Journal batches are a few tens of milliseconds apart, so this costs
 * about that much latency.
 *
 * <p>Memory is bounded: at most {@link #WINDOW} events stay here once they are durable; a subscriber
 * behind the window reads the journal instead. Subscribers pull (no per-subscriber buffer), so a
 * stalled one costs nothing and slows no one.
 *
 * <p>Threading: {@code lock} guards every field below it. {@code flushLock} serialises journal
 * writes of this turn with its ending, so an ending always carries every event not yet durable.
 */
final class TurnLog {
    static final int WINDOW = 4096;

    final String turnId;
    final ReentrantLock flushLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // Guarded by lock.
    private final ArrayList<TurnEvent> window = new ArrayList<>();
    private long windowBase;     // events with seq <= windowBase left the window (and are durable)
    private long lastSeq;
    private long durableSeq;     // events up to here are in the journal, and visible to readers
    private long durableAt;      // System.nanoTime() when durableSeq last moved: the relay delay counts from here
    private boolean sealed;      // no more appends: the turn is ending
    private boolean closed;      // the closing events are published; nothing more will come

    TurnLog(String turnId) {
        this.turnId = turnId;
    }

    /** Appends an event with the next seq; false once the log is sealed (the turn is ending). */
    boolean append(String name, String json) {
        lock.lock();
        try {
            if (sealed) {
                return false;
            }
            window.add(new TurnEvent(turnId, ++lastSeq, name, json));
            // No signal: readers wait for durable events, and markDurable signals those. Waking
            // every subscriber here cost a futile unpark and park per token and subscriber.
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Events not yet durable. Caller holds {@link #flushLock}. */
    List<TurnEvent> undurable() {
        lock.lock();
        try {
            return List.copyOf(window.subList((int) (durableSeq - windowBase), window.size()));
        } finally {
            lock.unlock();
        }
    }

    /** Records that events up to {@code seq} are in the journal and trims the window. */
    void markDurable(long seq) {
        lock.lock();
        try {
            if (seq > durableSeq) {
                durableSeq = seq;
                durableAt = System.nanoTime();
                changed.signalAll();
            }
            int excess = window.size() - WINDOW;
            int droppable = (int) (durableSeq - windowBase);
            int drop = Math.min(excess, droppable);
            if (drop > 0) {
                window.subList(0, drop).clear();
                windowBase += drop;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops appends; returns the undurable events, or null if someone sealed first. Caller holds flushLock. */
    List<TurnEvent> seal() {
        lock.lock();
        try {
            if (sealed) {
                return null;
            }
            sealed = true;
            return List.copyOf(window.subList((int) (durableSeq - windowBase), window.size()));
        } finally {
            lock.unlock();
        }
    }

    /** Publishes the closing events (already durable) and wakes every subscriber. */
    void close(List<TurnEvent> closing) {
        lock.lock();
        try {
            for (TurnEvent e : closing) {
                if (e.seq() == lastSeq + 1) {
                    window.add(e);
                    lastSeq = e.seq();
                }
            }
            durableSeq = lastSeq;
            durableAt = System.nanoTime();
            sealed = true;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the log closed without events of its own (its ending failed): what was not durable stays
     * invisible, and readers go on in the journal, where recovery ends the turn.
     */
    void abandon() {
        lock.lock();
        try {
            sealed = true;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The highest seq numbered so far (durable or not). */
    long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The highest seq readers may see: the last durable one. */
    long visibleSeq() {
        lock.lock();
        try {
            return durableSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code wait} for durable events after {@code afterSeq}. {@link Read.Behind} means
     * they left the window: read the journal.
     */
    Read read(long afterSeq, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (durableSeq <= afterSeq && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Read.Nothing();
                }
                changed.awaitNanos(left);
            }
            if (afterSeq < windowBase) {
                return new Read.Behind();
            }
            if (durableSeq <= afterSeq) {
                return new Read.Ended();
            }
            int from = (int) (afterSeq - windowBase);
            return new Read.Events(List.copyOf(window.subList(from, (int) (durableSeq - windowBase))), durableAt);
        } finally {
            lock.unlock();
        }
    }

    /** The answer to a read. */
    sealed interface Read {
        /** {@code durableAt}: when the newest of them became durable ({@link System#nanoTime}). */
        record Events(List<TurnEvent> events, long durableAt) implements Read {}

        record Behind() implements Read {}

        record Nothing() implements Read {}

        /** Closed and nothing after the cursor: what remains (if anything) is in the journal. */
        record Ended() implements Read {}
    }

}
