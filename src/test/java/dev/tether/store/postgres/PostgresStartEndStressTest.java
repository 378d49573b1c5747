package dev.tether.store.postgres;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.Transitions;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import dev.tether.support.TestPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads starting, journaling and ending turns on a few sessions at once, on PostgreSQL's
 * concurrent transactions: whatever interleaving the database chose, each session had one active
 * turn at a time, its counts match its rows, and each ended turn has exactly one reply and one
 * terminal event, its journal gapless with nothing after its closing events (late batches dropped). Bounded: a fixed number of rounds per thread.
 */
class PostgresStartEndStressTest {
    private static final String ALICE = "alice";
    private static final int THREADS = 8;
    private static final int ROUNDS = 30;
    private static final List<String> SESSIONS = List.of("s0", "s1", "s2");

    private TestPostgres.Fresh fresh;
    private PostgresDatabase database;
    private SessionStore store;
    private Transitions transitions;

    @BeforeEach
    void open() {
        fresh = TestPostgres.database();
        database = PostgresDatabase.open(fresh.jdbcUrl(), TestPostgres.USER, null);
        store = new PostgresSessionStore(database.executor());
        transitions = new Transitions(store);
    }

    @AfterEach
    void close() {
        database.close();
        fresh.close();
    }

    @Test
    void startsAndEndsOnFewSessionsKeepEverySessionsInvariants() throws Exception {
        SESSIONS.forEach(id -> store.createSession(ALICE, id, "New chat", "m1", Instant.now()));
        Queue<String> started = new ConcurrentLinkedQueue<>();
        Queue<String> wrongEnds = new ConcurrentLinkedQueue<>(); // turns whose two endings were not one Ended, one told so
        CyclicBarrier together = new CyclicBarrier(THREADS);
        ExecutorService callers = Executors.newFixedThreadPool(THREADS + 1);
        try {
            List<? extends Future<?>> workers = IntStream.range(0, THREADS).mapToObj(t -> callers.submit(() -> {
                together.await();
                for (int round = 0; round < ROUNDS; round++) {
                    String turnId = "t" + t + "-" + round;
                    String sessionId = SESSIONS.get((t + round) % SESSIONS.size());
                    if (transitions.start(send(ALICE, sessionId, turnId, "q " + turnId), Instant.now())
                            instanceof StartOutcome.Started) {
                        started.add(turnId);
                        store.appendJournal(LongStream.rangeClosed(1, 3).mapToObj(s -> token(turnId, s, "w")).toList());
                        endTwiceAtOnce(callers, turnId, wrongEnds);
                        store.appendJournal(List.of(token(turnId, 99, "late"))); // after the end: dropped
                    }
                }
                return null;
            })).toList();
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(started).hasSizeGreaterThan(SESSIONS.size());
        assertThat(wrongEnds).as("turns ended twice, or a loser not told the ending").isEmpty();
        Map<String, List<Turn>> turnsBySession = started.stream().map(id -> store.findTurn(ALICE, id).orElseThrow())
                .collect(Collectors.groupingBy(Turn::sessionId));
        for (String sessionId : SESSIONS) {
            assertSessionInvariants(sessionId, turnsBySession.getOrDefault(sessionId, List.of()));
        }
    }

    /**
     * Ends the turn from two threads at once: exactly one of them may end it, and the other, a step
     * on the same session, sees it ended and is told its closing events.
     */
    private void endTwiceAtOnce(ExecutorService callers, String turnId, Queue<String> wrongEnds) {
        CompletableFuture<EndOutcome> other = CompletableFuture.supplyAsync(
                () -> transitions.end(completed(turnId, "reply " + turnId), Instant.now()), callers);
        EndOutcome mine = transitions.end(completed(turnId, "reply " + turnId), Instant.now());
        EndOutcome theirs = other.join();
        if (!endedAndTold(mine, theirs) && !endedAndTold(theirs, mine)) {
            wrongEnds.add(turnId + ": " + mine + " / " + theirs);
        }
    }

    private static boolean endedAndTold(EndOutcome winner, EndOutcome loser) {
        return winner instanceof EndOutcome.Ended won && loser.equals(new EndOutcome.NotActive(won.closing()));
    }

    private void assertSessionInvariants(String sessionId, List<Turn> turns) {
        Session session = store.findSession(ALICE, sessionId).orElseThrow();
        List<Message> messages = store.messages(ALICE, sessionId, 10_000, null);
        assertThat(session.activeTurn()).isNull();
        assertThat(session.turnCount()).isEqualTo(turns.size());
        assertThat(session.messageCount()).isEqualTo(messages.size()).isEqualTo(2 * turns.size());
        for (int i = 0; i < messages.size(); i++) {
            assertThat(messages.get(i).index()).isEqualTo(i);
            assertThat(messages.get(i).role()).isEqualTo(i % 2 == 0 ? Message.USER : Message.ASSISTANT);
        }
        List<Turn> inOrder = new ArrayList<>(turns);
        inOrder.sort(Comparator.comparing(Turn::startedAt));
        for (int i = 0; i < inOrder.size(); i++) {
            Turn turn = inOrder.get(i);
            assertThat(turn.state()).isEqualTo(TurnState.COMPLETED);
            if (i + 1 < inOrder.size()) {
                assertThat(turn.endedAt()).as("%s ended before the next turn started", turn.id())
                        .isBeforeOrEqualTo(inOrder.get(i + 1).startedAt());
            }
            assertThat(messages).filteredOn(m -> turn.id().equals(m.turnId()))
                    .extracting(Message::role, Message::content)
                    .containsExactly(tuple(Message.ASSISTANT, "reply " + turn.id()));
            List<TurnEvent> journal = store.journal(turn.id(), 0, 10_000);
            assertThat(journal).as("journal of %s", turn.id()).extracting(TurnEvent::seq, TurnEvent::name)
                    .containsExactly(tuple(1L, "token"), tuple(2L, "token"), tuple(3L, "token"), tuple(4L, "done"),
                            tuple(5L, "stream_end"));
        }
    }
}
