package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.Instances;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Turn;
import dev.tether.session.Transitions;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link SessionStore} must do, whatever it stores into, with the lifecycle's rules
 * ({@link Transitions}) running on it: a new store passes by implementing the primitives. Each {@code Store*Test}
 * holds one part of it (one transition each: a single class was 821 lines) and runs once per
 * {@link StoreKind}, each test on a fresh, empty store; a new store is one more kind.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreKind.class)
abstract class SessionStoreContract {
    static final String ALICE = "alice";
    static final String BOB = "bob";
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    @Parameter
    StoreKind kind;
    @TempDir
    Path dir;
    SessionStore store;
    /** The store's instances; null for a store that keeps none. */
    Instances instances;
    /** The lifecycle's rules over this store: what every transition of the contract goes through. */
    Transitions transitions;
    private StoreKind.Opened opened;
    private long ticks;

    @BeforeEach
    final void open() {
        opened = kind.open(dir);
        store = opened.store();
        instances = opened.instances();
        transitions = new Transitions(store);
    }

    @AfterEach
    final void close() {
        opened.close().run();
    }

    /** Where the store is, for a test that needs a connection of its own (PostgreSQL only). */
    String jdbcUrl() {
        return opened.jdbcUrl();
    }

    /** A later instant on each call, in whole milliseconds. */
    protected Instant now() {
        return T0.plusSeconds(++ticks);
    }

    Session create(String id) {
        return store.createSession(ALICE, id, "New chat", "m1", now());
    }

    Turn started(StartRequest r) {
        StartOutcome outcome = transitions.start(r, now());
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        return ((StartOutcome.Started) outcome).turn();
    }

    EndOutcome.Ended ended(TurnEnding e) {
        EndOutcome outcome = transitions.end(e, now());
        assertThat(outcome).isInstanceOf(EndOutcome.Ended.class);
        return (EndOutcome.Ended) outcome;
    }

    /** A session with {@code exchanges} completed user/assistant pairs: u0 a1 u2 a3 ... */
    void converse(String sessionId, int exchanges) {
        for (int i = 0; i < exchanges; i++) {
            String turn = sessionId + "-t" + i;
            started(send(ALICE, sessionId, turn, "question " + i));
            ended(completed(turn, "answer " + i));
        }
    }

    List<Message> transcript(String sessionId) {
        return store.messages(ALICE, sessionId, 1000, null);
    }

    List<String> contents(String sessionId) {
        return transcript(sessionId).stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    Session session(String id) {
        return store.findSession(ALICE, id).orElseThrow();
    }

    List<Long> seqs(String turnId) {
        return store.journal(turnId, 0, 10_000).stream().map(TurnEvent::seq).toList();
    }

    List<String> names(String turnId) {
        return store.journal(turnId, 0, 10_000).stream().map(TurnEvent::name).toList();
    }

    static List<TurnEvent> tokens(String turnId, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(s -> token(turnId, s, "w" + s)).toList();
    }
}
