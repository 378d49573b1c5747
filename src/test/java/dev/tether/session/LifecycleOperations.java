package dev.tether.session;

import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.send;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The lifecycle on one session, as operations for Lincheck: start, cancel and finish (the two ways
 * a worker ends its turn), a stale ending (interrupt) and delete. Lincheck runs them concurrently
 * and checks that each history matches some sequential order of the same operations
 * (linearizability); after every run at most one turn of the session is active, the active turn is
 * running, and no turn ended twice. Subclasses choose the store and how Lincheck explores
 * ({@link SessionLifecycleLincheckTest}: model checking in memory; {@link SessionLifecyclePostgresStressTest}:
 * real threads on PostgreSQL).
 *
 * <p>Results name turns by their number in this history ({@code t1}), not by their id in the store,
 * so that a history on one session compares with its sequential replay on another.
 */
@Param(name = "turn", gen = IntGen.class, conf = "1:3")
@Param(name = "expected", gen = IntGen.class, conf = "0:3")
public abstract class LifecycleOperations {
    private static final String OWNER = "alice";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);

    private final SessionStore store;
    private final String session;
    private final SessionLifecycle lifecycle;
    /** How many calls reported that they ended each turn. */
    private final Map<String, Integer> endings = new ConcurrentHashMap<>();

    /** A new session {@code session} in {@code store}: every history gets its own. */
    protected LifecycleOperations(SessionStore store, String session) {
        this.store = store;
        this.session = session;
        this.lifecycle = new SessionLifecycle(store, SessionChanges.NONE, CLOCK);
        lifecycle.create(OWNER, session, "New chat", "m1");
    }

    private String id(int turn) {
        return session + "-t" + turn;
    }

    /** The name a result gives the turn with {@code id}. */
    private String name(String id) {
        return id != null && id.startsWith(session + "-") ? id.substring(session.length() + 1) : id;
    }

    @Operation(params = "turn")
    public String start(int turn) {
        return switch (lifecycle.start(send(OWNER, session, id(turn), "hi", "c" + turn))) {
            case StartOutcome.Started s -> "Started";
            case StartOutcome.TurnActive a -> "TurnActive:" + name(a.activeTurn());
            case StartOutcome.Duplicate d -> "Duplicate:" + name(d.turn().id());
            case StartOutcome.SessionGone g -> "SessionGone";
            case StartOutcome other -> other.getClass().getSimpleName();
        };
    }

    @Operation(params = "turn")
    public String cancel(int turn) {
        return end(ending(id(turn), TurnState.CANCELLED, "partial", List.of(), null));
    }

    @Operation(params = "turn")
    public String finish(int turn) {
        return end(ending(id(turn), TurnState.COMPLETED, "reply", List.of(), null));
    }

    private String end(TurnEnding e) {
        return switch (lifecycle.end(e)) {
            case EndOutcome.Ended ended -> {
                endings.merge(e.turnId(), 1, Integer::sum);
                yield "Ended";
            }
            case EndOutcome.NotActive n -> "NotActive";
        };
    }

    /** A stale ending: what recovery (or a Stop of a turn no worker runs) writes for {@code turn}. */
    @Operation(params = "turn")
    public String interrupt(int turn) {
        return end(ending(id(turn), TurnState.INTERRUPTED, "", List.of(), null));
    }

    /** Deletes the session if its active turn is {@code expected} (0: idle). */
    @Operation(params = "expected")
    public String delete(int expected) {
        String t = expected == 0 ? null : id(expected);
        TurnEnding e = t == null ? null : ending(t, TurnState.CANCELLED, "", List.of(), null);
        return switch (lifecycle.delete(OWNER, session, t, e)) {
            case DeleteOutcome.Deleted d -> "Deleted";
            case DeleteOutcome.ActiveChanged c -> "ActiveChanged:" + name(c.activeTurn());
            case DeleteOutcome.NotFound n -> "NotFound";
        };
    }

    @Validate
    public void atMostOneActiveTurnAndNoTurnEndsTwice() {
        String active = store.findSession(OWNER, session).map(Session::activeTurn).orElse(null);
        List<String> running = store.runningTurns().stream().filter(t -> t.sessionId().equals(session))
                .map(Turn::id).toList();
        check(running.size() <= 1, "more than one running turn: " + running);
        check(active == null ? running.isEmpty() : running.equals(List.of(active)),
                "active turn " + active + " but running " + running);
        for (int turn = 1; turn <= 3; turn++) {
            String t = id(turn);
            long terminal = store.journal(t, 0, 100).stream().filter(TurnEvent::isTerminal).count();
            check(terminal <= 1, t + " has " + terminal + " terminal events");
            check(endings.getOrDefault(t, 0) <= 1, t + " was ended " + endings.get(t) + " times");
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalStateException(problem);
        }
    }
}
