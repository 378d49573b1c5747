package dev.tether.turn;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.Session;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionReads;
import dev.tether.session.StartOutcome;
import dev.tether.session.TimeOrderedId;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only door through which a turn ends. The worker (completed, failed), the user's Stop, a
 * session's deletion, boot recovery and a clean shutdown all come here; reading a stream never
 * ends a turn.
 *
 * <p>A turn running here ends by sealing its log under the flush lock: the first sealer is the
 * only one ending it, with every event not yet durable, and a second caller (a stuck worker, a
 * second Stop) gets {@link EndOutcome.NotActive}. A turn not running here (left by a process that
 * died) ends with its reply rebuilt from the journal. Either way the lifecycle's compare-and-set
 * decides whether the ending may still write: one that lost writes nothing.
 *
 * <p>Threading: stateless apart from {@link LiveTurns}; safe from any thread. Never waits for a
 * worker, so it works while a model call hangs.
 */
public final class TurnEnds {
    private static final Logger LOG = LoggerFactory.getLogger(TurnEnds.class);

    /** Starts the worker of a turn that an ending promoted from the queue. */
    @FunctionalInterface
    interface Launcher {
        void launch(LiveTurn reserved, Turn row);
    }

    private final SessionLifecycle lifecycle;
    private final SessionReads reads;
    private final LiveTurns live;
    private final Launcher launcher;
    private final TurnWatch watch;
    /** Set once a clean stop begins: endings from then on start nothing (the queue waits for the next start). */
    private volatile boolean stopping;

    TurnEnds(SessionLifecycle lifecycle, SessionReads reads, LiveTurns live, Launcher launcher, TurnWatch watch) {
        this.watch = watch;
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.live = live;
        this.launcher = launcher;
    }

    /** What the user's Stop did. */
    public sealed interface CancelOutcome {
        record Cancelled(Turn turn) implements CancelOutcome {}

        /** The turn had already ended; its reply stays as it was. */
        record AlreadyEnded(Turn turn) implements CancelOutcome {}

        record NotFound() implements CancelOutcome {}
    }

    /** The user's Stop of one of their turns. */
    public CancelOutcome cancel(String owner, String turnId) {
        Optional<Turn> turn = reads.findTurn(owner, turnId);
        if (turn.isEmpty()) {
            return new CancelOutcome.NotFound();
        }
        return end(turnId, EndReason.cancelled()) instanceof EndOutcome.Ended
                ? new CancelOutcome.Cancelled(turn.get()) : new CancelOutcome.AlreadyEnded(turn.get());
    }

    /**
     * Ends turn {@code turnId} for {@code why}; the session's next queued message starts in the same
     * transaction. A turn that is reserved here is found here: it is reserved before the store can
     * start it and dropped only after its ending, so "not here" means it runs in no worker of ours.
     */
    EndOutcome end(String turnId, EndReason why) {
        Optional<LiveTurn> running = live.find(turnId);
        if (running.isPresent()) {
            return end(running.get(), why);
        }
        Optional<Turn> row = reads.findTurn(null, turnId);
        EndOutcome outcome = endPromoting(nextId -> lifecycle.end(DetachedEnding.of(turnId, why, nextId)));
        if (outcome instanceof EndOutcome.Ended ended && row.isPresent()) {
            Duration lasted = Duration.between(row.get().startedAt(), Instant.now());
            ended(turnId, row.get().sessionId(), why, lasted, ended.closing());
        }
        return outcome;
    }

    /**
     * Tells the watch and writes the turn's one log line: ids, state, duration and event count,
     * never its text (which is the user's).
     */
    private void ended(String turnId, String sessionId, EndReason why, Duration lasted,
                       List<TurnEvent> closing) {
        long events = closing.isEmpty() ? 0 : closing.getLast().seq();
        watch.ended(why.state(), lasted, events);
        LOG.atInfo().addKeyValue("turn_id", turnId).addKeyValue("session_id", sessionId)
                .addKeyValue("state", why.state().wire()).addKeyValue("duration_ms", lasted.toMillis())
                .addKeyValue("events", events).log("turn ended");
    }

    /** Ends a turn running here (its worker knows it without looking it up). */
    EndOutcome end(LiveTurn turn, EndReason why) {
        return endPromoting(nextId -> endLive(turn, why, nextId));
    }

    /** Runs an ending that may promote the queue's head (see {@link #reservingNext}). */
    private EndOutcome endPromoting(Function<String, EndOutcome> ending) {
        return reservingNext(ending, outcome -> outcome instanceof EndOutcome.Ended ended
                ? ended.promoted() : Optional.empty());
    }

    /**
     * Runs {@code step}, which may start a turn with id {@code nextId}: reserved here first, so a
     * Stop finds it the moment it exists; launched if it started, else dropped. Once a clean stop
     * began, the step gets no id and starts nothing: a worker launched now would die with this
     * process, and the queue waits for the next start instead.
     */
    private <T> T reservingNext(Function<String, T> step, Function<T, Optional<Turn>> startedBy) {
        if (stopping) {
            return step.apply(null);
        }
        String nextId = TimeOrderedId.next();
        LiveTurn next = live.reserve(nextId);
        boolean launched = false;
        try {
            T outcome = step.apply(nextId);
            Optional<Turn> started = startedBy.apply(outcome);
            if (started.isPresent()) {
                launcher.launch(next, started.get());
                launched = true;
            }
            return outcome;
        } finally {
            if (!launched) {
                live.drop(nextId);
            }
        }
    }

    private EndOutcome endLive(LiveTurn turn, EndReason why, String nextId) {
        turn.log.flushLock.lock();
        try {
            LiveTurn.Sealed sealed = turn.seal();
            if (sealed == null) {
                return new EndOutcome.NotActive(List.of()); // another caller is ending it
            }
            turn.stop.fire();
            EndOutcome outcome;
            try {
                outcome = lifecycle.end(new TurnEnding(turn.turnId, why.state(), sealed.reply(why.error(), why.hint()),
                        sealed.pending(), why.closing(), nextId, turn.fence()));
            } catch (RuntimeException e) {
                // The store failed: the turn stays running there until a Stop or the next start ends it.
                turn.log.abandon();
                throw e;
            }
            switch (outcome) {
                case EndOutcome.Ended ended -> {
                    turn.log.close(ended.closing());
                    ended(turn.turnId, turn.sessionId(), why, Duration.ofNanos(System.nanoTime() - turn.reservedAt),
                            ended.closing());
                }
                // Someone else ended it; what this log held undurably was not written: readers go to the journal.
                case EndOutcome.NotActive notActive -> turn.log.abandon();
            }
            return outcome;
        } finally {
            turn.log.flushLock.unlock();
            live.drop(turn.turnId);
        }
    }

    /**
     * Deletes a session, ending its running turn in the same transaction (its subscribers get
     * {@code cancel}); false if there is no such session. The delete is conditional on the active
     * turn it saw; when that changed meanwhile, a turn started or ended in between, and it looks again.
     */
    public boolean deleteSession(String owner, String sessionId) {
        while (true) {
            Optional<Session> session = reads.findSession(owner, sessionId);
            if (session.isEmpty()) {
                return false;
            }
            String active = session.get().activeTurn();
            Optional<LiveTurn> running = active == null ? Optional.empty() : live.find(active);
            DeleteOutcome outcome = running.isPresent()
                    ? deleteLive(owner, sessionId, running.get())
                    : lifecycle.delete(owner, sessionId, active,
                            active == null ? null : DetachedEnding.of(active, EndReason.cancelled(), null));
            switch (outcome) {
                case DeleteOutcome.Deleted d -> {
                    return true;
                }
                case DeleteOutcome.NotFound n -> {
                    return false;
                }
                case DeleteOutcome.ActiveChanged changed -> { } // look again
            }
        }
    }

    private DeleteOutcome deleteLive(String owner, String sessionId, LiveTurn turn) {
        turn.log.flushLock.lock();
        try {
            LiveTurn.Sealed sealed = turn.seal();
            if (sealed == null) {
                return new DeleteOutcome.ActiveChanged(null); // someone else is ending it; look again
            }
            turn.stop.fire();
            EndReason why = EndReason.cancelled();
            DeleteOutcome outcome = lifecycle.delete(owner, sessionId, turn.turnId, new TurnEnding(turn.turnId,
                    why.state(), sealed.reply(null, null), sealed.pending(), why.closing(), null));
            if (outcome instanceof DeleteOutcome.Deleted deleted) {
                turn.log.close(deleted.closing());
                ended(turn.turnId, sessionId, why, Duration.ofNanos(System.nanoTime() - turn.reservedAt),
                        deleted.closing());
            } else {
                turn.log.abandon();
            }
            return outcome;
        } finally {
            turn.log.flushLock.unlock();
            live.drop(turn.turnId);
        }
    }

    /**
     * Recovery of one process that owns its store alone: every turn the store holds as running was
     * left by a process that died, and is taken over ({@link #takeOver}).
     */
    public int recover() {
        int count = takeOver(reads.runningTurns());
        startWaiting();
        return count;
    }

    /**
     * Takes over {@code orphans}, turns whose instance died (boot recovery is the same: the previous
     * process is a dead instance): each ends {@code interrupted} with the reply its journal holds,
     * exactly once whoever else tries, and its session's queue moves on. Returns how many turns this
     * call ended.
     */
    public int takeOver(List<Turn> orphans) {
        int count = 0;
        for (Turn turn : orphans) {
            if (end(turn.id(), EndReason.interrupted()) instanceof EndOutcome.Ended) {
                count++;
            }
        }
        if (count > 0) {
            LOG.info("took over {} turn(s) of a stopped or dead instance: ended interrupted", count);
        }
        return count;
    }

    /** Starts, here, the head of every idle session's queue (a clean stop leaves queues waiting). */
    public void startWaiting() {
        for (Session idle : reads.idleWithWaitingMessages()) {
            reservingNext(nextId -> lifecycle.startWaiting(idle.owner(), idle.id(), nextId),
                    started -> started.map(StartOutcome.Started::turn));
        }
    }

    /**
     * Turn {@code turnId} ended, or its session went, by another instance's hand (a Stop or delete
     * sent there, a takeover): if it runs here, its worker stops and its readers go on in the journal,
     * where that ending is. Nothing is written: the store already holds the truth.
     */
    public void endedElsewhere(String turnId) {
        live.find(turnId).ifPresent(this::release);
    }

    /**
     * This instance was fenced: another took over its turns, so it lets go of every one running
     * here (their workers stop; what they held undurably is not written, as in a crash).
     */
    public void releaseAll() {
        List<LiveTurn> all = List.copyOf(live.all());
        all.forEach(this::release);
        if (!all.isEmpty()) {
            LOG.warn("this instance was fenced: let go of {} turn(s) another instance took over", all.size());
        }
    }

    private void release(LiveTurn turn) {
        turn.log.flushLock.lock();
        try {
            if (!turn.release()) {
                return; // an ending here is under way, and drops it
            }
        } finally {
            turn.log.flushLock.unlock();
        }
        live.drop(turn.turnId);
    }

    /**
     * A clean shutdown: every turn running here ends interrupted now, so the next start has nothing
     * to recover and clients see the reason at once. Queued messages stay queued: the next start
     * runs them ({@link #recover}).
     */
    public void interruptAll() {
        stopping = true;
        for (LiveTurn turn : List.copyOf(live.all())) {
            try {
                end(turn.turnId, EndReason.interrupted());
            } catch (RuntimeException e) {
                LOG.warn("could not end turn {} at shutdown; the next start recovers it: {}", turn.turnId, e.toString());
            }
        }
    }
}
