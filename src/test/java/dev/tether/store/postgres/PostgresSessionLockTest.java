package dev.tether.store.postgres;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.Transitions;
import dev.tether.session.TurnEvent;
import dev.tether.support.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps on one session are serialised on PostgreSQL by row locks, not by a single writer: a step
 * that read the session holds it until it commits, and a second step on that session waits at its
 * own read, then sees what the first wrote; a journal batch waits for an ending of its turn and then
 * sees the turn ended. Each test holds the first step inside its transaction ({@link HeldStep}) and
 * watches the second wait for a lock in the database.
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
        store.createSession(ALICE, "s1", "New chat", "m1", Instant.now());
    }

    @AfterEach
    void close() {
        database.close();
        fresh.close();
    }

    @Test
    void aStepOnASessionWaitsForTheStepThatReadItAndThenSeesWhatItWrote() throws Exception {
        HeldStep held = new HeldStep(store, (method, args) -> method.getName().equals("session"));
        Transitions plain = new Transitions(store);
        CompletableFuture<StartOutcome> first = CompletableFuture.supplyAsync(
                () -> new Transitions(held).start(send(ALICE, "s1", "tA", "from A"), Instant.now()));
        try {
            assertThat(held.reached()).as("the first start read the session").isTrue();
            CompletableFuture<StartOutcome> second = CompletableFuture.supplyAsync(() -> {
                StartOutcome started = plain.start(send(ALICE, "s1", "tB", "from B"), Instant.now());
                if (started instanceof StartOutcome.Started) {
                    plain.end(completed("tB", "reply to B"), Instant.now());
                }
                return started;
            });

            awaitWaitingOrDone(second);
            assertThat(second).as("the second step on the session, while the first holds it").isNotDone();
            held.release();

            assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(StartOutcome.Started.class);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(new StartOutcome.TurnActive("tA"));
        } finally {
            held.release();
        }
        assertThat(store.findSession(ALICE, "s1").orElseThrow())
                .extracting(s -> s.activeTurn(), s -> s.messageCount(), s -> s.turnCount())
                .containsExactly("tA", 1, 1);
        assertThat(store.messages(ALICE, "s1", 100, null)).extracting(Message::content).containsExactly("from A");
    }

    @Test
    void aJournalBatchWaitsForTheEndingOfItsTurnAndThenWritesNothingAfterIt() throws Exception {
        Transitions plain = new Transitions(store);
        assertThat(plain.start(send(ALICE, "s1", "t1", "hello"), Instant.now())).isInstanceOf(StartOutcome.Started.class);
        store.appendJournal(List.of(token("t1", 1, "a"), token("t1", 2, "b")));
        HeldStep held = new HeldStep(store, (method, args) -> method.getName().equals("appendEvents")
                && ((List<?>) args[1]).stream().anyMatch(e -> ((TurnEvent) e).isTerminal()));
        CompletableFuture<EndOutcome> ending = CompletableFuture.supplyAsync(
                () -> new Transitions(held).end(completed("t1", "ab"), Instant.now()));
        try {
            assertThat(held.reached()).as("the ending wrote its closing events").isTrue();
            CompletableFuture<Void> late = CompletableFuture.runAsync(
                    () -> store.appendJournal(List.of(token("t1", 5, "late"))));

            awaitWaitingOrDone(late);
            assertThat(late).as("a journal batch of the turn, while its ending is uncommitted").isNotDone();
            held.release();

            assertThat(ending.get(30, TimeUnit.SECONDS)).isInstanceOf(EndOutcome.Ended.class);
            late.get(30, TimeUnit.SECONDS);
        } finally {
            held.release();
        }
        assertThat(store.journal("t1", 0, 100)).extracting(TurnEvent::seq, TurnEvent::name).containsExactly(
                tuple(1L, "token"), tuple(2L, "token"), tuple(3L, "done"), tuple(4L, "stream_end"));
    }

    /** Until {@code step} waits for a lock in the test's database, or finished without waiting. */
    private void awaitWaitingOrDone(CompletableFuture<?> step) {
        await().atMost(Duration.ofSeconds(20)).until(() -> step.isDone() || stepsWaitingForALock() == 1);
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
}
