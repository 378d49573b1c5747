package dev.tether.turn;

import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import dev.tether.session.SessionChanges;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Turn;
import dev.tether.support.DelegatingSessionStore;
import dev.tether.support.NoAttachments;
import dev.tether.support.ScriptedModel;
import dev.tether.support.SqliteFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may read a turn: a reply running here answers from memory, anything else from the store. */
class TurnReaderTest {
    private static final String ALICE = "alice";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private SqliteFile sqlite;

    @AfterEach
    void close() {
        if (sqlite != null) {
            sqlite.close();
        }
    }

    /** Counts turn-row reads, and can hold one chosen start before the store decides it. */
    private static final class WatchedStore extends DelegatingSessionStore {
        final AtomicInteger turnReads = new AtomicInteger();
        final CountDownLatch heldStartArrived = new CountDownLatch(1);
        final CountDownLatch releaseHeldStart = new CountDownLatch(1);
        volatile String heldTurn;

        WatchedStore(SessionStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<Turn> findTurn(String owner, String turnId) {
            turnReads.incrementAndGet();
            return super.findTurn(owner, turnId);
        }

        @Override
        public StartOutcome startTurn(StartRequest request, Instant now) {
            if (request.turnId().equals(heldTurn)) {
                heldStartArrived.countDown();
                awaitLatch(releaseHeldStart);
            }
            return super.startTurn(request, now);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private record Rig(WatchedStore store, TurnRunner runner, TurnReader reader, LiveTurns live) {}

    private Rig rig(ScriptedModel model) {
        sqlite = SqliteFile.in(dir);
        WatchedStore store = new WatchedStore(sqlite.store());
        LiveTurns live = new LiveTurns();
        SessionLifecycle lifecycle = new SessionLifecycle(store, live, SessionChanges.NONE, Clock.systemUTC());
        ModelCatalog catalog = new ModelCatalog(List.of(new ModelCatalog.Entry(
                new ModelInfo("m1", "test", "Test model", false), model)), "m1");
        TurnRunner runner = new TurnRunner(lifecycle, store, new NoAttachments(), live, catalog);
        return new Rig(store, runner, new TurnReader(store, live, runner), live);
    }

    @Test
    void aReplyRunningHereIsReadableByItsOwnerWithoutAStoreReadAndByNoOneElse() {
        ScriptedModel model = ScriptedModel.manual();
        Rig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        assertThat(rig.runner().start(send(ALICE, "s1", "t1", "hello"))).isInstanceOf(StartOutcome.Started.class);
        ScriptedModel.Call running = model.nextCall(WAIT);
        int before = rig.store().turnReads.get();

        assertThat(rig.reader().readable(ALICE, "t1")).isTrue();
        assertThat(rig.store().turnReads).as("answered from the live turn").hasValue(before);
        assertThat(rig.reader().readable("mallory", "t1")).isFalse();
        assertThat(rig.reader().readable(ALICE, "no-such-turn")).isFalse();

        running.echo();
        await().atMost(WAIT).until(() -> !rig.live().isRunning("t1"));
        int afterEnd = rig.store().turnReads.get();
        assertThat(rig.reader().readable(ALICE, "t1")).as("a finished turn, from the store").isTrue();
        assertThat(rig.store().turnReads).hasValue(afterEnd + 1);
        assertThat(rig.reader().readable("mallory", "t1")).isFalse();
    }

    @Test
    void aReservedTurnWhoseStartIsUndecidedIsNotReadable() throws Exception {
        ScriptedModel model = ScriptedModel.manual();
        Rig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.store().heldTurn = "t-held";

        CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(
                () -> rig.runner().start(send(ALICE, "s1", "t-held", "hello")));
        awaitLatch(rig.store().heldStartArrived);

        assertThat(rig.reader().readable(ALICE, "t-held")).as("reserved here, but the store has not started it").isFalse();

        rig.store().releaseHeldStart.countDown();
        assertThat(start.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(StartOutcome.Started.class);
        assertThat(rig.reader().readable(ALICE, "t-held")).isTrue();
        model.nextCall(WAIT).echo();
        await().atMost(WAIT).until(() -> rig.store().findSession(ALICE, "s1").orElseThrow().activeTurn() == null);
    }
}
