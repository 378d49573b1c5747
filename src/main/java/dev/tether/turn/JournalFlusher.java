package dev.tether.turn;

import dev.tether.config.JournalMode;
import dev.tether.session.TurnJournal;
import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the undurable events of every live turn to the journal, all turns in one transaction. A
 * pass starts as soon as a turn logs an event while no pass is pending (subscribers see events only
 * once durable, so waiting would be latency), and events logged during a pass wait for the next:
 * under load passes run back to back and each commits thousands of events. Terminal
 * events never wait for it: an ending writes its own pending events. The benchmark's other
 * {@link JournalMode}s (each event on its own, or none) are here too, so one class says how the
 * journal is written.
 *
 * <p>Threading: one platform thread ({@code thread}, or the timer for journal-off). It only tryLocks a
 * turn's flushLock, so it never waits for an ending, and an ending waits at most for one batch.
 * {@link #appended} runs on a turn's worker; {@code pending} and {@code closed} are its hand-off.
 */
public final class JournalFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalFlusher.class);

    private final LiveTurns live;
    private final TurnJournal journal;
    private final JournalMode mode;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("journal-discard").unstarted(r));
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;
    private final Thread thread;

    public JournalFlusher(LiveTurns live, TurnJournal journal, JournalMode mode) {
        this.live = live;
        this.journal = journal;
        this.mode = mode;
        this.thread = mode instanceof JournalMode.Batched(Duration interval)
                ? Thread.ofPlatform().daemon().name("journal-flusher").start(() -> loop(interval))
                : null;
        if (mode instanceof JournalMode.Off) {
            timer.scheduleWithFixedDelay(this::discard, 25, 25, TimeUnit.MILLISECONDS);
        }
    }

    /** Batched mode: a pass whenever woken by {@link #appended}, and at least every {@code interval}. */
    private void loop(Duration interval) {
        while (!closed) {
            if (!pending.get()) {
                LockSupport.parkNanos(this, interval.toNanos());
            }
            pending.set(false);
            flushQuietly();
        }
    }

    /** Called by a turn's worker after each event it logged: wakes a batch pass, or writes it now in per-event mode. */
    void appended(LiveTurn turn) {
        if (mode instanceof JournalMode.Batched) {
            if (pending.compareAndSet(false, true)) {
                LockSupport.unpark(thread);
            }
            return;
        }
        if (!(mode instanceof JournalMode.PerEvent)) {
            return;
        }
        turn.log.flushLock.lock();
        try {
            List<TurnEvent> events = turn.log.undurable();
            if (!events.isEmpty()) {
                journal.appendJournal(events);
                turn.log.markDurable(events.getLast().seq());
            }
        } finally {
            turn.log.flushLock.unlock();
        }
    }

    /** Journal off: forgets all but each turn's newest event, which its ending writes. */
    private void discard() {
        for (LiveTurn turn : live.all()) {
            if (turn.log.flushLock.tryLock()) {
                try {
                    turn.log.markDurable(turn.log.lastSeq() - 1);
                } finally {
                    turn.log.flushLock.unlock();
                }
            }
        }
    }

    private void flushQuietly() {
        if (mode instanceof JournalMode.Off) {
            return;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("journal flush failed; will retry: {}", e.toString());
        }
    }

    /** One pass over all live turns. */
    void flush() {
        List<TurnLog> locked = new ArrayList<>();
        List<TurnLog> flushed = new ArrayList<>();
        List<Long> flushedUpTo = new ArrayList<>();
        List<TurnEvent> batch = new ArrayList<>();
        try {
            for (LiveTurn turn : live.all()) {
                if (turn.log.flushLock.tryLock()) {
                    locked.add(turn.log);
                    List<TurnEvent> events = turn.log.undurable();
                    if (!events.isEmpty()) {
                        batch.addAll(events);
                        flushed.add(turn.log);
                        flushedUpTo.add(events.getLast().seq());
                    }
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            journal.appendJournal(batch);
            for (int i = 0; i < flushed.size(); i++) {
                flushed.get(i).markDurable(flushedUpTo.get(i));
            }
        } finally {
            locked.forEach(log -> log.flushLock.unlock());
        }
    }

    /** Stops the passes, lets a running one finish, then writes what is left. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
