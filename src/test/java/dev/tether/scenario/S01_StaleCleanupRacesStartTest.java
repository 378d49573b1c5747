package dev.tether.scenario;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.SessionChanges;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import dev.tether.support.GatedSessionStore;
import dev.tether.support.NoAttachments;
import dev.tether.support.RecordingSessionChanges;
import dev.tether.support.ScriptedModel;
import dev.tether.support.DirectStore;
import dev.tether.turn.JournalFlusher;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.TurnEnds;
import dev.tether.turn.TurnReader;
import dev.tether.turn.TurnRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCENARIOS.md 1, the founding race: a stale-turn cleanup looks a session's turn up, and before it
 * writes, the turn ends another way and a new chat start takes the session. The cleanup's
 * compare-and-set must fail harmlessly; the new turn keeps the session, and nothing is orphaned.
 */
class S01_StaleCleanupRacesStartTest {
    private static final String ALICE = "alice";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private DirectStore direct;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        direct.close();
    }

    @Test
    void aRecoveryHeldBetweenItsLookupAndItsWriteCannotClobberTheNewTurn() throws Exception {
        direct = DirectStore.in(dir);
        GatedSessionStore store = new GatedSessionStore(direct.store());
        RecordingSessionChanges changes = new RecordingSessionChanges();
        SessionLifecycle lifecycle = new SessionLifecycle(store, changes, Clock.systemUTC());
        TurnRunner runner = runner(lifecycle, store, new LiveTurns(), ScriptedModel.manual());
        lifecycle.create(ALICE, "s1", "New chat", "m1");
        // A leftover: running in the store, but no worker in this process (as after a crash).
        assertThat(lifecycle.start(send(ALICE, "s1", "t-stale", "first"))).isInstanceOf(StartOutcome.Started.class);

        store.arm(); // recovery's ending of t-stale waits at the gate, after it looked the turn up
        CompletableFuture<Integer> recovery = CompletableFuture.supplyAsync(() -> runner.ends().recover());
        store.awaitArrival(WAIT);
        assertThat(lifecycle.end(completed("t-stale", "the real reply"))).isInstanceOf(EndOutcome.Ended.class);
        assertThat(lifecycle.start(send(ALICE, "s1", "t-new", "second"))).isInstanceOf(StartOutcome.Started.class);
        changes.clear();
        store.open();

        assertThat(recovery.get(10, TimeUnit.SECONDS)).as("turns recovery ended").isZero();
        SessionStore s = direct.store();
        assertThat(s.findSession(ALICE, "s1").orElseThrow().activeTurn()).isEqualTo("t-new");
        assertThat(s.findTurn(null, "t-new").orElseThrow().state()).isEqualTo(TurnState.RUNNING);
        assertThat(s.findTurn(null, "t-stale").orElseThrow().state()).isEqualTo(TurnState.COMPLETED);
        assertThat(terminalEvents(s, "t-stale")).containsExactly("done");
        assertThat(s.messages(ALICE, "s1", 10, null)).extracting(Message::content, Message::mark)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("first", null),
                        org.assertj.core.groups.Tuple.tuple("the real reply", null),
                        org.assertj.core.groups.Tuple.tuple("second", null));
        assertThat(s.runningTurns()).extracting(Turn::id).containsExactly("t-new");
        assertThat(changes.all()).as("the failed cleanup announces nothing").isEmpty();
    }

    @Test
    void readingALeftoverNeverEndsItAndAStopHeldBeforeItsWriteCannotClobberATurnStartedMeanwhile() throws Exception {
        direct = DirectStore.in(dir);
        GatedSessionStore store = new GatedSessionStore(direct.store());
        LiveTurns live = new LiveTurns();
        SessionLifecycle lifecycle = new SessionLifecycle(store, SessionChanges.NONE, Clock.systemUTC());
        ScriptedModel model = ScriptedModel.manual();
        TurnRunner runner = runner(lifecycle, store, live, model);
        TurnReader reader = new TurnReader(store, live);
        lifecycle.create(ALICE, "s1", "New chat", "m1");
        assertThat(lifecycle.start(send(ALICE, "s1", "t-stale", "first"))).isInstanceOf(StartOutcome.Started.class);

        TurnReader.Batch read = reader.next("t-stale", 0, Duration.ofMillis(1));
        assertThat(read.events()).isEmpty();
        assertThat(read.finished()).isFalse();
        assertThat(store.findTurn(null, "t-stale").orElseThrow().state()).as("a reader ends nothing")
                .isEqualTo(TurnState.RUNNING);

        store.arm(); // the first Stop's ending waits at the gate
        CompletableFuture<TurnEnds.CancelOutcome> firstStop =
                CompletableFuture.supplyAsync(() -> runner.ends().cancel(ALICE, "t-stale"));
        store.awaitArrival(WAIT);
        assertThat(runner.ends().cancel(ALICE, "t-stale")).isInstanceOf(TurnEnds.CancelOutcome.Cancelled.class);
        assertThat(runner.start(send(ALICE, "s1", "t-new", "second"))).isInstanceOf(StartOutcome.Started.class);
        ScriptedModel.Call call = model.nextCall(WAIT);
        store.open();

        assertThat(firstStop.get(10, TimeUnit.SECONDS)).isInstanceOf(TurnEnds.CancelOutcome.AlreadyEnded.class);
        SessionStore s = direct.store();
        assertThat(s.findSession(ALICE, "s1").orElseThrow().activeTurn()).isEqualTo("t-new");
        assertThat(s.findTurn(null, "t-stale").orElseThrow().state()).isEqualTo(TurnState.CANCELLED);
        assertThat(terminalEvents(s, "t-stale")).containsExactly("cancel");
        assertThat(live.isRunning("t-new")).isTrue();

        call.emit("hello").finish();
        await().atMost(WAIT).until(() -> s.findSession(ALICE, "s1").orElseThrow().activeTurn() == null);
        assertThat(s.findTurn(null, "t-new").orElseThrow().state()).isEqualTo(TurnState.COMPLETED);
        assertThat(terminalEvents(s, "t-new")).containsExactly("done");
        assertThat(s.messages(ALICE, "s1", 10, null)).extracting(Message::content, Message::mark)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("first", null),
                        org.assertj.core.groups.Tuple.tuple("", Message.Mark.STOPPED),
                        org.assertj.core.groups.Tuple.tuple("second", null),
                        org.assertj.core.groups.Tuple.tuple("hello", null));
        assertThat(live.size()).isZero();
    }

    /**
     * Many threads on a few sessions: each either starts a turn, ends the active turn it just looked
     * up as a stale cleanup would (the founding race, over and over), or ends it as its worker would.
     */
    @Test
    void randomInterleavingsOfCleanupStartAndEndKeepEveryInvariant() throws Exception {
        direct = DirectStore.in(dir);
        SessionStore store = direct.store();
        SessionLifecycle lifecycle = new SessionLifecycle(store, SessionChanges.NONE, Clock.systemUTC());
        List<String> sessions = List.of("s1", "s2", "s3");
        sessions.forEach(id -> lifecycle.create(ALICE, id, "New chat", "m1"));
        Map<String, AtomicInteger> endsByTurn = new ConcurrentHashMap<>();
        Map<String, String> sessionOfTurn = new ConcurrentHashMap<>();
        AtomicInteger turnIds = new AtomicInteger();
        AtomicInteger cleared = new AtomicInteger();
        AtomicInteger cleanupLost = new AtomicInteger();
        int threads = 8;
        int iterations = 750;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        closing.add(pool::shutdownNow);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                go.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < iterations; i++) {
                    String session = sessions.get(random.nextInt(sessions.size()));
                    int op = random.nextInt(10);
                    if (op < 4) {
                        String turnId = "t" + turnIds.incrementAndGet();
                        sessionOfTurn.put(turnId, session);
                        lifecycle.start(send(ALICE, session, turnId, "message " + turnId));
                        continue;
                    }
                    String active = store.findSession(ALICE, session).orElseThrow().activeTurn();
                    if (active == null) {
                        continue;
                    }
                    if (op < 8) {
                        EndOutcome outcome = lifecycle.end(ending(active, TurnState.INTERRUPTED, "", List.of(), null));
                        if (outcome instanceof EndOutcome.Ended) {
                            cleared.incrementAndGet();
                            endsByTurn.computeIfAbsent(active, k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            cleanupLost.incrementAndGet();
                        }
                    } else if (lifecycle.end(completed(active, "reply of " + active)) instanceof EndOutcome.Ended) {
                        endsByTurn.computeIfAbsent(active, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> w : workers) {
            w.get(120, TimeUnit.SECONDS);
        }

        assertThat(cleared.get()).as("clean-ups that ended a turn").isPositive();
        assertThat(cleanupLost.get()).as("clean-ups that lost the race").isPositive();
        assertInvariants(store, sessions, sessionOfTurn, endsByTurn);
    }

    private TurnRunner runner(SessionLifecycle lifecycle, SessionStore store, LiveTurns live, ScriptedModel model) {
        ModelCatalog catalog = new ModelCatalog(List.of(new ModelCatalog.Entry(
                new ModelInfo("m1", "test", "Test model", false), model)), "m1");
        JournalFlusher journal = new JournalFlusher(live, store);
        closing.add(journal);
        return new TurnRunner(lifecycle, store, new NoAttachments(), live, catalog, journal);
    }

    private static void assertInvariants(SessionStore store, List<String> sessions, Map<String, String> sessionOfTurn,
                                         Map<String, AtomicInteger> endsByTurn) {
        Set<String> active = ConcurrentHashMap.newKeySet();
        for (String id : sessions) {
            String turn = store.findSession(ALICE, id).orElseThrow().activeTurn();
            if (turn != null) {
                active.add(turn);
                Optional<Turn> row = store.findTurn(null, turn);
                assertThat(row).as("active turn %s of %s", turn, id).isPresent();
                assertThat(row.get().state()).as("active turn %s of %s", turn, id).isEqualTo(TurnState.RUNNING);
                assertThat(row.get().sessionId()).isEqualTo(id);
            }
        }
        assertThat(store.runningTurns()).extracting(Turn::id).as("every running turn is some session's active turn")
                .containsExactlyInAnyOrderElementsOf(active);
        for (String turnId : sessionOfTurn.keySet()) {
            Optional<Turn> row = store.findTurn(null, turnId);
            int ends = endsByTurn.getOrDefault(turnId, new AtomicInteger()).get();
            if (row.isEmpty()) {
                assertThat(ends).as("a turn that never started never ended").isZero();
                continue;
            }
            List<String> terminal = terminalEvents(store, turnId);
            if (row.get().state().isTerminal()) {
                assertThat(terminal).as("terminal events of %s", turnId).hasSize(1);
                assertThat(ends).as("endings of %s", turnId).isEqualTo(1);
            } else {
                assertThat(terminal).as("terminal events of running %s", turnId).isEmpty();
                assertThat(ends).as("endings of running %s", turnId).isZero();
            }
        }
        for (String id : sessions) {
            List<Message> transcript = store.messages(ALICE, id, 100_000, null);
            List<String> replies = transcript.stream().filter(m -> m.role().equals(Message.ASSISTANT))
                    .map(Message::turnId).toList();
            assertThat(replies).as("one reply per ended turn of %s", id).doesNotHaveDuplicates();
            long endedHere = sessionOfTurn.entrySet().stream().filter(e -> e.getValue().equals(id))
                    .map(e -> store.findTurn(null, e.getKey())).flatMap(Optional::stream)
                    .filter(t -> t.state().isTerminal()).count();
            assertThat(replies).hasSize((int) endedHere);
        }
    }

    private static List<String> terminalEvents(SessionStore store, String turnId) {
        return store.journal(turnId, 0, 100_000).stream().filter(TurnEvent::isTerminal).map(TurnEvent::name).toList();
    }
}
