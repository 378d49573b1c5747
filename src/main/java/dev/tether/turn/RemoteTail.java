package dev.tether.turn;

import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tail of a turn that runs on another instance, as this instance's subscribers of it read it:
 * one reader at a time fetches what the journal gained since the last fetch, when the other
 * instance's wake-up says there is more ({@link #heard}), and every subscriber at the tail reads the
 * fetched events from a bounded window. So a turn costs one journal read per wake-up and instance,
 * however many subscribers it has here. A subscriber behind the window, or one that finds nothing
 * more to fetch, is sent to the journal and the turn's state by {@link TurnReader}.
 *
 * <p>Threading: {@code lock} guards every field below it; the fetch runs outside it, by the one
 * reader that set {@code fetching}.
 */
final class RemoteTail {
    static final int WINDOW = 4096;

    /** Reads one page of the turn's journal after a seq. */
    @FunctionalInterface
    interface Fetch {
        List<TurnEvent> after(long seq);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // Guarded by lock.
    private final ArrayList<TurnEvent> window = new ArrayList<>();
    private long base = -1;      // seq just before the window's first event; -1: nothing fetched yet
    private long fetched;        // last seq in the window (== base while it is empty)
    private long heard;          // highest durable seq a wake-up named
    private boolean stale = true; // a fetch is due without a wake-up (first read, a lost wake-up)
    private boolean fetching;
    private boolean closed;      // the window holds the event that closes the turn's streams

    /** A wake-up: the journal holds the turn's events up to {@code seq} ({@code ended}: all of them). */
    void heard(long seq, boolean ended) {
        lock.lock();
        try {
            heard = Math.max(heard, seq);
            stale |= ended; // a deletion names no seq: look at the store
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wake-ups may have been lost: the next read fetches. */
    void poke() {
        lock.lock();
        try {
            stale = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Events after {@code afterSeq}, fetching or waiting up to {@code wait} for them. */
    Read read(long afterSeq, Duration wait, Fetch fetch) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            if (base < 0) {
                base = fetched = afterSeq;
            }
            while (true) {
                if (afterSeq < base) {
                    return new Read.Behind();
                }
                if (afterSeq < fetched) {
                    return new Read.Events(List.copyOf(window.subList((int) (afterSeq - base), window.size())));
                }
                if (closed) {
                    return new Read.Dry(); // nothing follows the closing event
                }
                if ((stale || heard > fetched) && !fetching) {
                    if (!fetchOutsideLock(fetch)) {
                        return new Read.Dry();
                    }
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Read.Nothing();
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fetches after {@code fetched}; false if the journal had nothing more. Called and returns with lock held. */
    private boolean fetchOutsideLock(Fetch fetch) {
        fetching = true;
        stale = false;
        long from = fetched;
        List<TurnEvent> events = List.of();
        lock.unlock();
        try {
            events = fetch.after(from);
        } finally {
            lock.lock();
            fetching = false;
            append(events);
            changed.signalAll();
        }
        return !events.isEmpty();
    }

    private void append(List<TurnEvent> events) {
        for (TurnEvent e : events) {
            if (e.seq() == fetched + 1) {
                window.add(e);
                fetched = e.seq();
                closed |= e.closesStream();
            }
        }
        heard = Math.max(heard, fetched);
        int excess = window.size() - WINDOW;
        if (excess > 0) {
            window.subList(0, excess).clear();
            base += excess;
        }
    }

    /** The answer to a read. */
    sealed interface Read {
        record Events(List<TurnEvent> events) implements Read {}

        /** The cursor is before the window: read the journal. */
        record Behind() implements Read {}

        /** A fetch found nothing new: the turn may have ended (look at its state) or is quiet. */
        record Dry() implements Read {}

        /** Nothing within the wait. */
        record Nothing() implements Read {}
    }
}
