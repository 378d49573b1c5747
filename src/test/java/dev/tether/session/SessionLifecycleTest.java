package dev.tether.session;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.regenerate;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static dev.tether.support.TurnRequests.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.support.DelegatingSessionStore;
import dev.tether.support.RecordingSessionChanges;
import dev.tether.support.DirectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle outcomes on a real SQLite store, and that announcements follow only successful transitions. */
class SessionLifecycleTest {
    private static final String ALICE = "alice";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private DirectStore direct;
    private SessionStore store;
    private final RecordingSessionChanges changes = new RecordingSessionChanges();
    private SessionLifecycle lifecycle;

    @BeforeEach
    void open() {
        direct = DirectStore.in(dir);
        store = direct.store();
        lifecycle = new SessionLifecycle(store, changes, CLOCK);
        lifecycle.create(ALICE, "s1", "New chat", "m1");
        changes.clear();
    }

    @AfterEach
    void close() {
        direct.close();
    }

    private StartOutcome.Started started(StartRequest request) {
        StartOutcome outcome = lifecycle.start(request);
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        return (StartOutcome.Started) outcome;
    }

    @Test
    void createAndImportAreAnnounced() {
        lifecycle.create(ALICE, "s2", "New chat", "m1");
        lifecycle.importSession(ALICE, "s3", new SessionImport("Imported", false, List.of()), "m1");

        assertThat(changes.summary()).containsExactly("sessionUpdated:created", "sessionUpdated:imported");
    }

    @Test
    void anImportIsStoredAsANewIdleSessionOfItsOwner() {
        ImportOutcome outcome = lifecycle.importSession(ALICE, "s3", new SessionImport(null, false, List.of(
                new SessionImport.Entry("user", "hi", null, "", null, null, null),
                new SessionImport.Entry("assistant", "hel", null, "stopped", null, null, null))), "m1");

        Session s = ((ImportOutcome.Imported) outcome).session();
        assertThat(s.owner()).isEqualTo(ALICE);
        assertThat(s.title()).isEqualTo(SessionImport.DEFAULT_TITLE);
        assertThat(s.pinned()).isFalse();
        assertThat(s.isStreaming()).isFalse();
        assertThat(s.messageCount()).isEqualTo(2);
        assertThat(store.messages(ALICE, "s3", 10, null)).extracting(Message::content, Message::mark)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hi", null),
                        org.assertj.core.groups.Tuple.tuple("hel", Message.Mark.STOPPED));
    }

    @Test
    void aRefusedImportWritesAndAnnouncesNothing() {
        ImportOutcome outcome = lifecycle.importSession(ALICE, "s3", new SessionImport("x", false, List.of(
                new SessionImport.Entry("user", null, null, "", null, null, null))), "m1");

        assertThat(outcome).isInstanceOf(ImportOutcome.Refused.class);
        assertThat(store.findSession(ALICE, "s3")).isEmpty();
        assertThat(changes.summary()).isEmpty();
    }

    @Test
    void aStartedTurnIsAnnouncedWithTheCommittedSession() {
        StartOutcome.Started started = started(send(ALICE, "s1", "t1", "hello"));

        assertThat(changes.summary()).containsExactly("turnStarted:t1", "sessionUpdated:turn_started");
        assertThat(changes.all()).allSatisfy(c -> assertThat(c.session()).isEqualTo(started.session()));
        assertThat(store.findSession(ALICE, "s1").orElseThrow().activeTurn()).isEqualTo("t1");
    }

    @Test
    void aQueuedMessageIsAnnouncedAsAnUpdateOnly() {
        started(send(ALICE, "s1", "t1", "first"));
        changes.clear();

        StartOutcome outcome = lifecycle.start(sendOrQueue(ALICE, "s1", "t2", "second", "c2"));

        assertThat(outcome).isInstanceOf(StartOutcome.Queued.class);
        assertThat(changes.summary()).containsExactly("sessionUpdated:queued");
    }

    @Test
    void startsThatDoNotStartAnnounceNothing() {
        started(send(ALICE, "s1", "t1", "first", "c1"));
        changes.clear();

        assertThat(lifecycle.start(send(ALICE, "s1", "t2", "again"))).isEqualTo(new StartOutcome.TurnActive("t1"));
        assertThat(lifecycle.start(send(ALICE, "s1", "t3", "first", "c1"))).isInstanceOf(StartOutcome.Duplicate.class);
        assertThat(lifecycle.start(start(ALICE, "s1", "t4", "x", null, new StartRequest.Kind.Send(), 7)))
                .isInstanceOf(StartOutcome.StaleView.class);
        assertThat(lifecycle.start(send("mallory", "s1", "t5", "x"))).isInstanceOf(StartOutcome.SessionGone.class);
        lifecycle.create(ALICE, "empty", "New chat", "m1");
        changes.clear();
        assertThat(lifecycle.start(regenerate(ALICE, "empty", "t6"))).isInstanceOf(StartOutcome.Rejected.class);

        assertThat(changes.all()).isEmpty();
    }

    @Test
    void anEndIsAnnouncedWithTheIdleSession() {
        started(send(ALICE, "s1", "t1", "hello"));
        changes.clear();

        EndOutcome outcome = lifecycle.end(completed("t1", "hi!"));

        assertThat(outcome).isInstanceOf(EndOutcome.Ended.class);
        assertThat(changes.summary()).containsExactly("sessionUpdated:turn_ended");
        assertThat(changes.all().getFirst().session().activeTurn()).isNull();
        assertThat(changes.all().getFirst().session().messageCount()).isEqualTo(2);
    }

    @Test
    void anEndThatPromotesTheQueueHeadAnnouncesTheNewTurnFirst() {
        started(send(ALICE, "s1", "t1", "first"));
        lifecycle.start(sendOrQueue(ALICE, "s1", "ignored", "second", "c2"));
        changes.clear();

        EndOutcome outcome = lifecycle.end(ending("t1", TurnState.COMPLETED, "one", List.of(), "t2"));

        assertThat(((EndOutcome.Ended) outcome).promoted()).map(Turn::id).contains("t2");
        assertThat(changes.summary()).containsExactly("turnStarted:t2", "sessionUpdated:turn_ended");
        assertThat(changes.all().getFirst().session().activeTurn()).isEqualTo("t2");
    }

    @Test
    void anEndOfATurnThatIsNoLongerActiveWritesAndAnnouncesNothing() {
        started(send(ALICE, "s1", "t1", "hello"));
        lifecycle.end(completed("t1", "hi!"));
        changes.clear();

        EndOutcome second = lifecycle.end(ending("t1", TurnState.CANCELLED, "late", List.of(), null));
        EndOutcome unknown = lifecycle.end(completed("nope", "x"));

        assertThat(second).isInstanceOf(EndOutcome.NotActive.class);
        assertThat(unknown).isEqualTo(new EndOutcome.NotActive(List.of()));
        assertThat(changes.all()).isEmpty();
        assertThat(store.messages(ALICE, "s1", 10, null)).extracting(Message::content).containsExactly("hello", "hi!");
    }

    @Test
    void deleteIsAnnouncedOnlyWhenTheSessionWent() {
        started(send(ALICE, "s1", "t1", "hello"));
        changes.clear();

        assertThat(lifecycle.delete(ALICE, "s1", null, null)).isEqualTo(new DeleteOutcome.ActiveChanged("t1"));
        assertThat(lifecycle.delete("mallory", "s1", "t1", completed("t1", ""))).isInstanceOf(DeleteOutcome.NotFound.class);
        assertThat(changes.all()).isEmpty();

        DeleteOutcome deleted = lifecycle.delete(ALICE, "s1", "t1",
                ending("t1", TurnState.CANCELLED, "", List.of(), null));

        assertThat(deleted).isInstanceOf(DeleteOutcome.Deleted.class);
        assertThat(changes.summary()).containsExactly("sessionDeleted:" + ALICE);
        assertThat(store.findSession(ALICE, "s1")).isEmpty();
    }

    @Test
    void updateIsAnnouncedOnlyForTheOwner() {
        assertThat(lifecycle.update("mallory", "s1", new SessionPatch("mine", null, null, null))).isEmpty();
        assertThat(changes.all()).isEmpty();

        Session renamed = lifecycle.update(ALICE, "s1", new SessionPatch("Renamed", null, null, null)).orElseThrow();

        assertThat(renamed.title()).isEqualTo("Renamed");
        assertThat(changes.summary()).containsExactly("sessionUpdated:updated");
    }

    @Test
    void aFailedTransitionAnnouncesNothing() {
        SessionStore failing = new DelegatingSessionStore(store) {
            @Override
            public <T> T transact(Transaction<T> work) {
                throw new IllegalStateException("disk full");
            }
        };
        SessionLifecycle broken = new SessionLifecycle(failing, changes, CLOCK);
        started(send(ALICE, "s1", "t1", "hello"));
        changes.clear();

        assertThatThrownBy(() -> broken.end(completed("t1", "x"))).hasMessage("disk full");
        assertThatThrownBy(() -> broken.delete(ALICE, "s1", "t1", completed("t1", "x"))).hasMessage("disk full");
        assertThatThrownBy(() -> broken.start(send(ALICE, "s1", "t2", "x"))).hasMessage("disk full");

        assertThat(changes.all()).isEmpty();
        assertThat(store.findSession(ALICE, "s1").orElseThrow().activeTurn()).isEqualTo("t1");
    }
}
