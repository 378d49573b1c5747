package dev.tether.session;

import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.postgres.PostgresSessionStore;
import dev.tether.support.TestPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's operations on one session ({@link LifecycleOperations}) on real threads against
 * PostgreSQL, where transactions on one session really run at the same time and are kept apart
 * only by row locks and compare-and-set updates. Lincheck's stress mode runs random histories (and
 * SCENARIOS.md 1 and 7 as fixed ones) many times and checks each is linearizable and keeps the
 * invariants. Every history gets a new session in one database of this class's own.
 *
 * <p>Threading: the store is shared by all histories and is safe for concurrent use; the session
 * counter is atomic.
 */
public class SessionLifecyclePostgresStressTest extends LifecycleOperations {
    private static final AtomicInteger HISTORIES = new AtomicInteger();
    private static TestPostgres.Fresh database; // Guarded by the class lock; made by the first history
    private static PostgresDatabase opened;
    private static SessionStore store;

    public SessionLifecyclePostgresStressTest() {
        super(shared(), "h" + HISTORIES.incrementAndGet());
    }

    private static synchronized SessionStore shared() {
        if (store == null) {
            database = TestPostgres.database();
            opened = PostgresDatabase.open(database.jdbcUrl(), TestPostgres.USER, null);
            store = new PostgresSessionStore(opened.executor());
        }
        return store;
    }

    @Test
    void lifecycleTransitionsAreLinearizableOnPostgresql() {
        new StressOptions()
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(10)
                .invocationsPerIteration(30)
                .addCustomScenario(SessionLifecycleLincheckTest.foundingRace(SessionLifecyclePostgresStressTest.class))
                .addCustomScenario(SessionLifecycleLincheckTest.deleteRace(SessionLifecyclePostgresStressTest.class))
                .check(SessionLifecyclePostgresStressTest.class);
    }

    @AfterAll
    static synchronized void dropTheDatabase() {
        if (opened != null) {
            opened.close();
            database.close();
        }
    }
}
