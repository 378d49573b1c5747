package dev.tether.session;

import dev.tether.support.InMemorySessionStore;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the lifecycle on one session ({@link LifecycleOperations}), interleaved by Lincheck
 * at every shared-memory access, including two races of SCENARIOS.md as fixed scenarios.
 *
 * <p>It runs the lifecycle's rules on {@link InMemorySessionStore} (JDBC is far too slow to
 * model-check), which implements the same transaction primitives as SQLite and PostgreSQL and
 * passes the same store contract; {@link SessionLifecyclePostgresStressTest} runs the same
 * operations on real threads against PostgreSQL.
 */
public class SessionLifecycleLincheckTest extends LifecycleOperations {

    public SessionLifecycleLincheckTest() {
        super(new InMemorySessionStore(), "s");
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
                .addCustomScenario(foundingRace(SessionLifecycleLincheckTest.class))
                .addCustomScenario(deleteRace(SessionLifecycleLincheckTest.class))
                .check(SessionLifecycleLincheckTest.class);
    }

    /** SCENARIOS.md 1: a stale ending of t1 against t1's own end followed by a new start. */
    static ExecutionScenario foundingRace(Class<? extends LifecycleOperations> test) {
        return scenario(List.of(actor(test, "start", 1)),
                List.of(List.of(actor(test, "interrupt", 1)), List.of(actor(test, "finish", 1), actor(test, "start", 2))));
    }

    /** SCENARIOS.md 7: delete expecting t1 against t1's cancel, a new start and its clean-up. */
    static ExecutionScenario deleteRace(Class<? extends LifecycleOperations> test) {
        return scenario(List.of(actor(test, "start", 1)),
                List.of(List.of(actor(test, "delete", 1)), List.of(actor(test, "cancel", 1), actor(test, "start", 2)),
                        List.of(actor(test, "interrupt", 2))));
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

    private static Actor actor(Class<? extends LifecycleOperations> test, String operation, int argument) {
        try {
            return new Actor(test.getMethod(operation, int.class), List.of(argument));
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
