package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.edit;
import static dev.tether.support.TurnRequests.regenerate;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static dev.tether.support.TurnRequests.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.QueuedMessage;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.StartRequest;
import dev.tether.session.Turn;
import dev.tether.session.TurnState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start transition: the compare-and-set that makes a turn active, and every way it can refuse. */
class StoreStartTest extends SessionStoreContract {
    @Test
    void startOnIdleSessionWritesTheUserMessageAndMakesTheTurnActive() {
        create("s1");
        Instant at = now();

        StartOutcome outcome = transitions.start(send(ALICE, "s1", "t1", "Hello there", "c1"), at);

        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        StartOutcome.Started started = (StartOutcome.Started) outcome;
        assertThat(started.turn()).isEqualTo(
                new Turn("t1", "s1", ALICE, TurnState.RUNNING, "c1", 0, "m1", at, null, null));
        assertThat(started.session().activeTurn()).isEqualTo("t1");
        assertThat(started.session().messageCount()).isEqualTo(1);
        assertThat(started.session().title()).isEqualTo("Hello there");
        assertThat(started.session()).isEqualTo(session("s1"));
        assertThat(contents("s1")).containsExactly("user:Hello there");
        assertThat(store.findTurn(ALICE, "t1")).contains(started.turn());
        assertThat(store.runningTurns()).containsExactly(started.turn());
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(1, 1));
    }

    @Test
    void theFirstMessageNamesAnUntitledSessionOnly() {
        create("long");
        started(send(ALICE, "long", "t1", "  word ".repeat(20)));
        store.createSession(ALICE, "named", "My title", "m1", now());
        started(send(ALICE, "named", "t2", "hello"));

        assertThat(session("long").title()).hasSize(60).endsWith("...").startsWith("word word");
        assertThat(session("named").title()).isEqualTo("My title");
    }

    @Test
    void startWhileATurnIsActiveAnswersTurnActiveAndWritesNothing() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first"));

        StartOutcome outcome = transitions.start(send(ALICE, "s1", "t2", "second"), now());

        assertThat(outcome).isEqualTo(new StartOutcome.TurnActive("t1"));
        assertThat(contents("s1")).containsExactly("user:first");
        assertThat(store.findTurn(null, "t2")).isEmpty();
        assertThat(session("s1").activeTurn()).isEqualTo("t1");
    }

    @Test
    void sendOrQueueWhileActiveQueuesDurablyInOrder() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first"));

        StartOutcome q1 = transitions.start(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());
        StartOutcome q2 = transitions.start(sendOrQueue(ALICE, "s1", "t3", "third", "c3"), now());

        assertThat(q1).isInstanceOf(StartOutcome.Queued.class);
        assertThat(((StartOutcome.Queued) q1).position()).isEqualTo(1);
        assertThat(((StartOutcome.Queued) q2).position()).isEqualTo(2);
        assertThat(store.queued(ALICE, "s1")).extracting(QueuedMessage::content, QueuedMessage::clientMessageId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("second", "c2"),
                        org.assertj.core.groups.Tuple.tuple("third", "c3"));
        assertThat(contents("s1")).containsExactly("user:first");
        assertThat(session("s1").activeTurn()).isEqualTo("t1");
        assertThat(store.findTurn(null, "t2")).isEmpty();
    }

    @Test
    void sendOrQueueOnAnIdleSessionStarts() {
        create("s1");

        assertThat(transitions.start(sendOrQueue(ALICE, "s1", "t1", "hi", "c1"), now()))
                .isInstanceOf(StartOutcome.Started.class);
    }

    @Test
    void aRepeatedClientMessageIdAnswersTheFirstTurnAndWritesNothing() {
        create("s1");
        Turn first = started(send(ALICE, "s1", "t1", "hi", "c1"));

        StartOutcome whileRunning = transitions.start(send(ALICE, "s1", "t2", "hi", "c1"), now());
        ended(completed("t1", "hello"));
        StartOutcome afterEnd = transitions.start(sendOrQueue(ALICE, "s1", "t3", "hi", "c1"), now());

        assertThat(whileRunning).isInstanceOf(StartOutcome.Duplicate.class);
        assertThat(((StartOutcome.Duplicate) whileRunning).turn()).isEqualTo(first);
        assertThat(afterEnd).isInstanceOf(StartOutcome.Duplicate.class);
        assertThat(((StartOutcome.Duplicate) afterEnd).turn().id()).isEqualTo("t1");
        assertThat(contents("s1")).containsExactly("user:hi", "assistant:hello");
        assertThat(store.findTurn(null, "t2")).isEmpty();
        assertThat(store.findTurn(null, "t3")).isEmpty();
    }

    @Test
    void aRepeatedClientMessageIdOfAQueuedMessageAnswersItsPlace() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first"));
        transitions.start(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());
        transitions.start(sendOrQueue(ALICE, "s1", "t3", "third", "c3"), now());

        StartOutcome again = transitions.start(sendOrQueue(ALICE, "s1", "t4", "third", "c3"), now());

        assertThat(again).isInstanceOf(StartOutcome.AlreadyQueued.class);
        StartOutcome.AlreadyQueued already = (StartOutcome.AlreadyQueued) again;
        assertThat(already.position()).isEqualTo(2);
        assertThat(already.message().content()).isEqualTo("third");
        assertThat(store.queued(ALICE, "s1")).hasSize(2);
    }

    @Test
    void aStaleViewIsRejectedAndACurrentOneStarts() {
        create("s1");
        converse("s1", 1);

        StartOutcome stale = transitions.start(start(ALICE, "s1", "t2", "hi", null,
                new StartRequest.Kind.Send(), 1), now());
        StartOutcome current = transitions.start(start(ALICE, "s1", "t3", "hi", null,
                new StartRequest.Kind.Send(), 2), now());

        assertThat(stale).isInstanceOf(StartOutcome.StaleView.class);
        assertThat(((StartOutcome.StaleView) stale).messageCount()).isEqualTo(2);
        assertThat(current).isInstanceOf(StartOutcome.Started.class);
        assertThat(contents("s1")).hasSize(3);
    }

    @Test
    void regenerateDropsTheLastReplyAndAnswersTheLastUserMessage() {
        create("s1");
        converse("s1", 2);

        Turn turn = started(regenerate(ALICE, "s1", "t-again"));

        assertThat(turn.userMessageIndex()).isEqualTo(2);
        assertThat(contents("s1")).containsExactly("user:question 0", "assistant:answer 0", "user:question 1");
        assertThat(session("s1").messageCount()).isEqualTo(3);
        ended(completed("t-again", "better answer"));
        assertThat(contents("s1")).containsExactly("user:question 0", "assistant:answer 0", "user:question 1",
                "assistant:better answer");
    }

    @Test
    void regenerateWithoutAUserMessageIsRejected() {
        create("s1");

        assertThat(transitions.start(regenerate(ALICE, "s1", "t1"), now()))
                .isInstanceOf(StartOutcome.Rejected.class);
        assertThat(session("s1").activeTurn()).isNull();
        assertThat(store.findTurn(null, "t1")).isEmpty();
    }

    @Test
    void editReplacesTheMessageAndEverythingAfterIt() {
        create("s1");
        converse("s1", 3);

        Turn turn = started(edit(ALICE, "s1", "t-edit", 2, "question 1, rephrased"));

        assertThat(turn.userMessageIndex()).isEqualTo(2);
        assertThat(contents("s1")).containsExactly("user:question 0", "assistant:answer 0",
                "user:question 1, rephrased");
        assertThat(session("s1").messageCount()).isEqualTo(3);
        assertThat(session("s1").activeTurn()).isEqualTo("t-edit");
    }

    @Test
    void editOfTheFirstMessageRetitlesNothing() {
        store.createSession(ALICE, "s1", "Kept", "m1", now());
        converse("s1", 1);

        started(edit(ALICE, "s1", "t-edit", 0, "new start"));

        assertThat(contents("s1")).containsExactly("user:new start");
        assertThat(session("s1").title()).isEqualTo("Kept");
    }

    @Test
    void editOfAnAssistantOrMissingIndexIsRejectedAndChangesNothing() {
        create("s1");
        converse("s1", 2);
        List<String> before = contents("s1");

        assertThat(transitions.start(edit(ALICE, "s1", "t-a", 1, "x"), now())).isInstanceOf(StartOutcome.Rejected.class);
        assertThat(transitions.start(edit(ALICE, "s1", "t-b", 4, "x"), now())).isInstanceOf(StartOutcome.Rejected.class);
        assertThat(transitions.start(edit(ALICE, "s1", "t-c", -1, "x"), now())).isInstanceOf(StartOutcome.Rejected.class);

        assertThat(contents("s1")).isEqualTo(before);
        assertThat(session("s1").messageCount()).isEqualTo(4);
        assertThat(session("s1").activeTurn()).isNull();
    }

    @Test
    void editAndRegenerateWhileATurnIsActiveAnswerTurnActive() {
        create("s1");
        converse("s1", 1);
        started(send(ALICE, "s1", "t1", "running"));

        assertThat(transitions.start(edit(ALICE, "s1", "t2", 0, "x"), now()))
                .isEqualTo(new StartOutcome.TurnActive("t1"));
        assertThat(transitions.start(regenerate(ALICE, "s1", "t3"), now()))
                .isEqualTo(new StartOutcome.TurnActive("t1"));
        assertThat(contents("s1")).hasSize(3);
    }

    @Test
    void startOnAMissingSessionAnswersSessionGone() {
        assertThat(transitions.start(send(ALICE, "nope", "t1", "hi"), now()))
                .isInstanceOf(StartOutcome.SessionGone.class);
    }
}
