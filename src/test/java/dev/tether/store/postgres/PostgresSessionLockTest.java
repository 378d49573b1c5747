package dev.tether.store.postgres;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.session.Message;
import dev.tether.session.SessionRecords;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.Transitions;
import dev.tether.support.DelegatingSessionStore;
import dev.tether.support.TestPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps on one session are serialised on PostgreSQL by the session row's lock, not by a single
 * writer: a step that read the session holds it until it commits, and a second step on that session
 * waits at its own read, then sees what the first wrote.
 */
class PostgresSessionLockTest {
    private static final String ALICE = "alice";

    private TestPostgres.Fresh fresh;
    private PostgresDatabase database;
    private SessionStore store;

    @BeforeEach
    void open() {
        fresh = TestPostgres.database();
        database = PostgresDatabase.open(fresh.jdbcUrl(), TestPostgres.USER, null);
        store = new PostgresSessionStore(database.executor());
    }

    @AfterEach
    void close() {
        database.close();
        fresh.close();
    }

    @Test
    void aStepOnASessionWaitsForTheStepThatReadItAndThenSeesWhatItWrote() throws Exception {
        store.createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Transitions heldAfterRead = new Transitions(new HeldAfterSessionRead(store, read, release));
        Transitions plain = new Transitions(store);

        CompletableFuture<StartOutcome> first = CompletableFuture.supplyAsync(
                () -> heldAfterRead.start(send(ALICE, "s1", "tA", "from A"), Instant.now()));
        try {
            assertThat(read.await(30, TimeUnit.SECONDS)).as("the first start read the session").isTrue();
            CompletableFuture<StartOutcome> second = CompletableFuture.supplyAsync(() -> {
                StartOutcome started = plain.start(send(ALICE, "s1", "tB", "from B"), Instant.now());
                if (started instanceof StartOutcome.Started) {
                    plain.end(completed("tB", "reply to B"), Instant.now());
                }
                return started;
            });

            await().atMost(Duration.ofSeconds(20)).until(() -> second.isDone() || stepsWaitingForALock() == 1);
            assertThat(second).as("the second step on the session, while the first holds it").isNotDone();
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(StartOutcome.Started.class);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(new StartOutcome.TurnActive("tA"));
        } finally {
            release.countDown();
        }
        assertThat(store.findSession(ALICE, "s1").orElseThrow())
                .extracting(s -> s.activeTurn(), s -> s.messageCount(), s -> s.turnCount())
                .containsExactly("tA", 1, 1);
        assertThat(store.messages(ALICE, "s1", 100, null)).extracting(Message::content).containsExactly("from A");
    }

    /** Backends of the test's database waiting for a lock another transaction holds. */
    private int stepsWaitingForALock() throws SQLException {
        try (Connection c = DriverManager.getConnection(fresh.jdbcUrl(), TestPostgres.USER, null);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A store whose next transaction stops right after its first read of a session, inside the transaction. */
    private static final class HeldAfterSessionRead extends DelegatingSessionStore {
        private final CountDownLatch read;
        private final CountDownLatch release;

        HeldAfterSessionRead(SessionStore delegate, CountDownLatch read, CountDownLatch release) {
            super(delegate);
            this.read = read;
            this.release = release;
        }

        @Override
        public <T> T transact(Transaction<T> work) {
            return super.transact(records -> work.run(holdingAfterSessionRead(records)));
        }

        private SessionRecords holdingAfterSessionRead(SessionRecords records) {
            return (SessionRecords) Proxy.newProxyInstance(SessionRecords.class.getClassLoader(),
                    new Class<?>[] {SessionRecords.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(records, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("session") && read.getCount() > 0) {
                            read.countDown();
                            if (!release.await(30, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("the test never released the held step");
                            }
                        }
                        return result;
                    });
        }
    }
}
