package dev.tether.turn;

import dev.tether.session.SessionReads;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads a turn log for a subscriber from a cursor: from the live window while the turn runs here,
 * from its {@link RemoteTail} while another instance runs it, from the durable journal otherwise
 * (finished turns, turns from before a restart, subscribers that fell behind a window). Every event
 * is delivered once, in seq order, without gaps.
 */
public final class TurnReader {
    static final int PAGE = 1000;

    private final SessionReads store;
    private final LiveTurns live;
    private final RemoteTurns remote;

    /** A reader for one process: turns run here or have ended. */
    public TurnReader(SessionReads store, LiveTurns live) {
        this(store, live, new RemoteTurns());
    }

    public TurnReader(SessionReads store, LiveTurns live, RemoteTurns remote) {
        this.store = store;
        this.live = live;
        this.remote = remote;
    }

    public Optional<Turn> find(String owner, String turnId) {
        return store.findTurn(owner, turnId);
    }

    /**
     * Whether {@code owner} may read the turn: it was started here for them and still runs (no trip
     * to the store, which every subscription of a live reply used to make), or the store has it.
     */
    public boolean readable(String owner, String turnId) {
        return live.find(turnId).map(t -> t.readableBy(owner)).orElse(false)
                || find(owner, turnId).isPresent();
    }

    /** Highest seq a subscriber can see so far: the live log's durable one while running here, else the journal's. */
    public long lastSeq(String turnId) {
        return live.find(turnId).map(t -> t.log.visibleSeq()).orElseGet(() -> store.lastSeq(turnId));
    }

    /**
     * Where a subscriber starts: the cursor if it is usable for this turn, otherwise the start.
     * Unusable: another turn's, unparsable (null here), or ahead of the log.
     */
    public long startAfter(String turnId, Cursor cursor) {
        if (cursor == null || !cursor.turnId().equals(turnId) || cursor.seq() < 0) {
            return 0;
        }
        return cursor.seq() > lastSeq(turnId) ? 0 : cursor.seq();
    }

    /**
     * Events after {@code afterSeq}, waiting up to {@code wait} for them while the turn runs.
     * An empty batch that is not finished means: nothing yet (time for a heartbeat).
     */
    public Batch next(String turnId, long afterSeq, Duration wait) throws InterruptedException {
        Optional<LiveTurn> running = live.find(turnId);
        if (running.isPresent()) {
            TurnLog.Read read = running.get().log.read(afterSeq, wait);
            if (read instanceof TurnLog.Read.Events events) {
                return new Batch(events.events(), false, events.durableAt());
            }
            if (read instanceof TurnLog.Read.Nothing) {
                return new Batch(List.of(), false);
            }
            // Behind the window, or closed: the journal has the rest.
        } else {
            RemoteTail.Read read = remote.tail(turnId).read(afterSeq, wait, from -> store.journal(turnId, from, PAGE));
            if (read instanceof RemoteTail.Read.Events events) {
                return new Batch(events.events(), false);
            }
            if (read instanceof RemoteTail.Read.Nothing) {
                return new Batch(List.of(), false);
            }
            // Behind the window, or nothing more to fetch: the journal and the turn's state say what follows.
        }
        List<TurnEvent> journal = store.journal(turnId, afterSeq, PAGE);
        if (!journal.isEmpty()) {
            return new Batch(journal, false);
        }
        Optional<Turn> turn = store.findTurn(null, turnId);
        if (turn.isPresent() && !turn.get().state().isTerminal()) {
            // Still running in the store: its ending will be journaled. Reading never ends a turn.
            return new Batch(List.of(), false);
        }
        // Ended (or gone): its closing events commit with its state, so they may have landed between
        // the two reads above; what the journal holds now is all there will be.
        List<TurnEvent> last = store.journal(turnId, afterSeq, PAGE);
        return new Batch(last, last.isEmpty());
    }

    /**
     * A page of events; {@code finished}: the turn ended and nothing follows the cursor.
     * {@code durableAt}: when the newest event became durable ({@link System#nanoTime}), for the
     * relay delay; 0 for a page read back from the journal (a replay, not a relay).
     */
    public record Batch(List<TurnEvent> events, boolean finished, long durableAt) {
        Batch(List<TurnEvent> events, boolean finished) {
            this(events, finished, 0);
        }

        /** Nanoseconds from the newest event's durable moment to {@code now}; -1 for a replayed page. */
        public long relayNanos(long now) {
            return durableAt == 0 || events.isEmpty() ? -1 : now - durableAt;
        }
    }
}
