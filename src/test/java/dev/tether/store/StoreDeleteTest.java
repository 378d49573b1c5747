package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.DeleteOutcome;
import dev.tether.session.EndOutcome;
import dev.tether.session.SessionStore;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deleting a session, with or without its running turn. */
class StoreDeleteTest extends SessionStoreContract {
    @Test
    void anIdleSessionIsDeletedWhenExpectedIdle() {
        create("s1");
        converse("s1", 1);

        assertThat(transitions.delete(ALICE, "s1", null, null))
                .isEqualTo(new DeleteOutcome.Deleted(List.of()));
        assertThat(store.findSession(ALICE, "s1")).isEmpty();
        assertThat(store.findTurn(null, "s1-t0")).isEmpty();
        assertThat(store.journal("s1-t0", 0, 100)).isEmpty();
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(0, 0));
        assertThat(transitions.delete(ALICE, "s1", null, null)).isInstanceOf(DeleteOutcome.NotFound.class);
    }

    @Test
    void anUnexpectedActiveTurnAnswersActiveChangedAndKeepsEverything() {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));

        assertThat(transitions.delete(ALICE, "s1", null, null))
                .isEqualTo(new DeleteOutcome.ActiveChanged("t1"));
        assertThat(transitions.delete(ALICE, "s1", "t-other", completed("t-other", "")))
                .isEqualTo(new DeleteOutcome.ActiveChanged("t1"));
        transitions.end(completed("t1", "x"), now());
        assertThat(transitions.delete(ALICE, "s1", "t1", completed("t1", "")))
                .isEqualTo(new DeleteOutcome.ActiveChanged(null));
        assertThat(contents("s1")).containsExactly("user:hi", "assistant:x");
    }

    @Test
    void deletingWithTheActiveTurnEndsItAndCascades() {
        create("s1");
        converse("s1", 1);
        started(send(ALICE, "s1", "t1", "hi"));
        transitions.start(sendOrQueue(ALICE, "s1", "t2", "queued", "c2"), now());
        store.appendJournal(tokens("t1", 1, 3));

        DeleteOutcome outcome = transitions.delete(ALICE, "s1", "t1",
                ending("t1", TurnState.CANCELLED, "w1", tokens("t1", 4, 5), null));

        assertThat(outcome).isInstanceOf(DeleteOutcome.Deleted.class);
        assertThat(((DeleteOutcome.Deleted) outcome).closing()).extracting(TurnEvent::seq, TurnEvent::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, "cancel"));
        assertThat(store.findSession(ALICE, "s1")).isEmpty();
        assertThat(store.findTurn(null, "t1")).isEmpty();
        assertThat(store.findTurn(null, "s1-t0")).isEmpty();
        assertThat(store.journal("t1", 0, 100)).isEmpty();
        assertThat(store.messages(ALICE, "s1", 100, null)).isEmpty();
        assertThat(store.queued(ALICE, "s1")).isEmpty();
        assertThat(store.runningTurns()).isEmpty();
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(0, 0));
    }

    @Test
    void theWorkerOfADeletedSessionCannotWriteItBack() {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));
        transitions.delete(ALICE, "s1", "t1", ending("t1", TurnState.CANCELLED, "", List.of(), null));

        assertThat(transitions.end(completed("t1", "late reply"), now())).isInstanceOf(EndOutcome.NotActive.class);
        store.appendJournal(tokens("t1", 1, 2));

        assertThat(store.findSession(ALICE, "s1")).isEmpty();
        assertThat(store.journal("t1", 0, 100)).isEmpty();
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(0, 0));
    }
}
