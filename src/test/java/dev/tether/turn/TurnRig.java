package dev.tether.turn;

import dev.tether.model.ChatModel;
import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import dev.tether.session.Message;
import dev.tether.session.SessionChanges;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.session.Transcript;
import dev.tether.session.Turn;
import dev.tether.support.GatedSessionStore;
import dev.tether.support.NoAttachments;
import dev.tether.support.DirectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TurnRunner} and {@link TurnReader} over a SQLite file, for the turn package's tests: its
 * store counts the reads the tests care about and can hold one chosen start before the store
 * decides it (so a test can force an interleaving with latches).
 */
final class TurnRig implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final DirectStore direct;
    private final WatchedStore store;
    private final LiveTurns live = new LiveTurns();
    private final JournalFlusher journal;
    private final TurnRunner runner;
    private final ModelCatalog catalog;
    private final TurnReader reader;

    private TurnRig(Path dir, ChatModel model) {
        direct = DirectStore.in(dir);
        store = new WatchedStore(direct.store());
        SessionLifecycle lifecycle = new SessionLifecycle(store, SessionChanges.NONE, Clock.systemUTC());
        catalog = new ModelCatalog(List.of(new ModelCatalog.Entry(
                new ModelInfo("m1", "test", "Test model", false), model)), "m1");
        journal = new JournalFlusher(live, store);
        runner = new TurnRunner(lifecycle, store, new NoAttachments(), live, catalog, journal);
        reader = new TurnReader(store, live);
    }

    /** A rig whose only model is {@code m1}, answered by {@code model}. */
    static TurnRig open(Path dir, ChatModel model) {
        return new TurnRig(dir, model);
    }

    WatchedStore store() {
        return store;
    }

    LiveTurns live() {
        return live;
    }

    ModelCatalog catalog() {
        return catalog;
    }

    TurnRunner runner() {
        return runner;
    }

    TurnReader reader() {
        return reader;
    }

    @Override
    public void close() {
        journal.close();
        direct.close();
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Counts transcript, history and turn-row reads, and can hold a start at its gate ({@link GatedSessionStore}). */
    static final class WatchedStore extends GatedSessionStore {
        final AtomicInteger transcriptReads = new AtomicInteger();
        final AtomicInteger historyReads = new AtomicInteger();
        final AtomicInteger turnReads = new AtomicInteger();
        final CountDownLatch firstTranscriptRead = new CountDownLatch(1);

        WatchedStore(SessionStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<Transcript> transcript(String owner, String sessionId, int limit) {
            Optional<Transcript> t = super.transcript(owner, sessionId, limit);
            transcriptReads.incrementAndGet();
            firstTranscriptRead.countDown();
            return t;
        }

        @Override
        public List<Message> messages(String owner, String sessionId, int limit, Integer before) {
            historyReads.incrementAndGet();
            return super.messages(owner, sessionId, limit, before);
        }

        @Override
        public Optional<Turn> findTurn(String owner, String turnId) {
            turnReads.incrementAndGet();
            return super.findTurn(owner, turnId);
        }
    }
}
