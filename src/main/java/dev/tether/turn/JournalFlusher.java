package dev.tether.turn;

import dev.tether.session.Fence;
import dev.tether.session.TurnJournal;
import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Runnable fenced;
    private final TurnWatch watch;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;
    private final Thread thread;

    public JournalFlusher(LiveTurns live, TurnJournal journal) {
        this(live, journal, () -> { });
    }

    /** {@code fenced} runs when the store refuses a pass because this instance's fence no longer holds. */
    public JournalFlusher(LiveTurns live, TurnJournal journal, Runnable fenced) {
        this(live, journal, fenced, TurnWatch.NONE);
    }

    /** As above; {@code watch} hears of every pass that wrote something: its size and how long the write took. */
    public JournalFlusher(LiveTurns live, TurnJournal journal, Runnable fenced, TurnWatch watch) {
        this.watch = watch;
        this.live = live;
        this.journal = journal;
        this.fenced = fenced;
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

    /**
     * One pass over all live turns: one transaction per writer fence (all of them share this
     * instance's fence, unless it was fenced and they are being let go of).
     */
    void flush() {
        List<TurnLog> locked = new ArrayList<>();
        Map<Fence, Pass> passes = new HashMap<>(2);
        try {
            for (LiveTurn turn : live.all()) {
                if (turn.log.flushLock.tryLock()) {
                    locked.add(turn.log);
                    List<TurnEvent> events = turn.log.undurable();
                    if (!events.isEmpty()) {
                        passes.computeIfAbsent(turn.fence(), f -> new Pass()).add(turn, events);
                    }
                }
            }
            passes.forEach((writer, pass) -> {
                long began = System.nanoTime();
                TurnJournal.Appended appended = journal.appendJournal(pass.batch, writer);
                if (appended.fenced()) {
                    fenced.run();
                } else {
                    watch.journalFlushed(pass.batch.size(), Duration.ofNanos(System.nanoTime() - began));
                    pass.markDurable(appended.written());
                }
            });
        } finally {
            locked.forEach(log -> log.flushLock.unlock());
        }
    }

    /** The turns of one writer fence in a pass, and how far each one's events go. */
    private final class Pass {
        final List<TurnEvent> batch = new ArrayList<>();
        final List<LiveTurn> flushed = new ArrayList<>();
        final List<Long> upTo = new ArrayList<>();

        void add(LiveTurn turn, List<TurnEvent> events) {
            batch.addAll(events);
            flushed.add(turn);
            upTo.add(events.getLast().seq());
        }

        /**
         * Shows the written events to readers. A turn whose events the store dropped no longer runs
         * there (another instance ended it, or its session was deleted): its events will never be
         * durable, so it is let go of here (its worker stops; its readers go on in the journal).
         * The caller holds each turn's flush lock.
         */
        void markDurable(java.util.Set<String> written) {
            for (int i = 0; i < flushed.size(); i++) {
                LiveTurn turn = flushed.get(i);
                if (written.contains(turn.turnId)) {
                    turn.log.markDurable(upTo.get(i));
                } else if (turn.release()) {
                    live.drop(turn.turnId);
                }
            }
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
