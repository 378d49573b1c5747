package dev.tether.session;

import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.send;

import dev.tether.support.InMemorySessionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the lifecycle on one session: start, cancel and finish (the two ways a worker ends
 * its turn), a stale ending (interrupt) and delete, interleaved by Lincheck at every shared-memory access. Each
 * concurrent history must match some sequential order of the same operations (linearizability),
 * and after every run at most one turn is active, the active turn is running, and no turn ended
 * twice.
 *
 * <p>It runs the lifecycle's rules on {@link InMemorySessionStore} (JDBC is far too slow to
 * model-check), which implements the same transaction primitives as SQLite and passes the same
 * store contract.
 */
@Param(name = "turn", gen = IntGen.class, conf = "1:3")
@Param(name = "expected", gen = IntGen.class, conf = "0:3")
public class SessionLifecycleLincheckTest {
    private static final String OWNER = "alice";
    private static final String SESSION = "s";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);

    private final InMemorySessionStore store = new InMemorySessionStore();
    private final SessionLifecycle lifecycle = new SessionLifecycle(store, SessionChanges.NONE, CLOCK);
    /** How many calls reported that they ended each turn. */
    private final Map<String, Integer> endings = new ConcurrentHashMap<>();

    public SessionLifecycleLincheckTest() {
        lifecycle.create(OWNER, SESSION, "New chat", "m1");
    }

    private static String id(int turn) {
        return "t" + turn;
    }

    @Operation(params = "turn")
    public String start(int turn) {
        return switch (lifecycle.start(send(OWNER, SESSION, id(turn), "hi", "c" + turn))) {
            case StartOutcome.Started s -> "Started";
            case StartOutcome.TurnActive a -> "TurnActive:" + a.activeTurn();
            case StartOutcome.Duplicate d -> "Duplicate:" + d.turn().id();
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
        return switch (lifecycle.delete(OWNER, SESSION, t, e)) {
            case DeleteOutcome.Deleted d -> "Deleted";
            case DeleteOutcome.ActiveChanged c -> "ActiveChanged:" + c.activeTurn();
            case DeleteOutcome.NotFound n -> "NotFound";
        };
    }

    @Validate
    public void atMostOneActiveTurnAndNoTurnEndsTwice() {
        String active = store.findSession(OWNER, SESSION).map(Session::activeTurn).orElse(null);
        List<String> running = store.runningTurns().stream().map(Turn::id).toList();
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

    @Test
    void lifecycleTransitionsAreLinearizableAndKeepTheInvariants() {
        new ModelCheckingOptions()
                // Internal to Lincheck: without it every HashMap step is a switch point, and the
                // races that matter here (between store calls) need ten times the invocations.
                .analyzeStdLib$lincheck(false)
                // Internal too: the default 10 s per invocation reads a busy 2-core CI box (class
                // retransformation under load) as a hang.
                .invocationTimeout$lincheck(120_000)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(3)
                .invocationsPerIteration(150)
                .addCustomScenario(foundingRace())
                .addCustomScenario(deleteRace())
                .check(SessionLifecycleLincheckTest.class);
    }

    /** SCENARIOS.md 1: a stale ending of t1 against t1's own end followed by a new start. */
    private static ExecutionScenario foundingRace() {
        return scenario(List.of(actor("start", 1)),
                List.of(List.of(actor("interrupt", 1)), List.of(actor("finish", 1), actor("start", 2))));
    }

    /** SCENARIOS.md 7: delete expecting t1 against t1's cancel, a new start and its clean-up. */
    private static ExecutionScenario deleteRace() {
        return scenario(List.of(actor("start", 1)),
                List.of(List.of(actor("delete", 1)), List.of(actor("cancel", 1), actor("start", 2)),
                        List.of(actor("interrupt", 2))));
    }

    private static ExecutionScenario scenario(List<Actor> initial, List<List<Actor>> parallel) {
        return CustomScenarioDSLKt.scenario(builder -> {
            builder.initial(thread -> {
                thread.addAll(initial);
                return Unit.INSTANCE;
            });
            builder.parallel(threads -> {
                for (List<Actor> actors : parallel) {
                    threads.thread(thread -> {
                        thread.addAll(actors);
                        return Unit.INSTANCE;
                    });
                }
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
    }

    private static Actor actor(String operation, int argument) {
        try {
            return new Actor(SessionLifecycleLincheckTest.class.getMethod(operation, int.class), List.of(argument));
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
