package dev.tether.turn;

import dev.tether.session.TurnJournal;
import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the undurable events of every live turn to the journal, all turns in one transaction. A
 * pass starts as soon as a turn logs an event while no pass is pending (subscribers see events only
 * once durable, so waiting would be latency), and events logged during a pass wait for the next:
 * under load passes run back to back and each commits thousands of events. Terminal events never
 * wait for it: an ending writes its own pending events.
 *
 * <p>Threading: one platform thread ({@code thread}). It only tryLocks a turn's flushLock, so it
 * never waits for an ending, and an ending waits at most for one batch. {@link #appended} runs on a
 * turn's worker; {@code pending} and {@code closed} are its hand-off.
 */
public final class JournalFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalFlusher.class);
    /**
     * The longest the thread sleeps when nothing wakes it: after a failed pass, the events it left
     * undurable are retried this soon even if their turn logs nothing more.
     */
    private static final Duration IDLE_PASS = Duration.ofMillis(25);

    private final LiveTurns live;
    private final TurnJournal journal;
    private final TurnWatch watch;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;
    private final Thread thread;

    public JournalFlusher(LiveTurns live, TurnJournal journal) {
        this(live, journal, TurnWatch.NONE);
    }

    /** {@code watch} hears of every pass that wrote something: its size and how long the write took. */
    public JournalFlusher(LiveTurns live, TurnJournal journal, TurnWatch watch) {
        this.watch = watch;
        this.live = live;
        this.journal = journal;
        this.thread = Thread.ofPlatform().daemon().name("journal-flusher").start(this::loop);
    }

    /** A pass whenever woken by {@link #appended}, and at least every {@link #IDLE_PASS}. */
    private void loop() {
        while (!closed) {
            if (!pending.get()) {
                LockSupport.parkNanos(this, IDLE_PASS.toNanos());
            }
            pending.set(false);
            flushQuietly();
        }
    }

    /** Called by a turn's worker after each event it logged: wakes a pass unless one is pending. */
    void appended() {
        if (pending.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void flushQuietly() {
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
            long began = System.nanoTime();
            journal.appendJournal(batch);
            watch.journalFlushed(batch.size(), Duration.ofNanos(System.nanoTime() - began));
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
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
