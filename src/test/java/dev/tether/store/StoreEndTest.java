package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.EndOutcome;
import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.SessionStore;
import dev.tether.session.StartOutcome;
import dev.tether.session.Turn;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The end transition: the compare-and-set that ends the active turn with its writeback, and promotion of the queue. */
class StoreEndTest extends SessionStoreContract {
    @Test
    void completedTurnWritesItsReplyAndClosingEventsAndLeavesTheSessionIdle() {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));
        store.appendJournal(tokens("t1", 1, 3));
        Instant at = now();

        EndOutcome.Ended ended = (EndOutcome.Ended) transitions.end(
                ending("t1", TurnState.COMPLETED, "w1w2w3w4w5", tokens("t1", 4, 5), null), at);

        assertThat(ended.closing()).extracting(TurnEvent::seq, TurnEvent::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(6L, "done"),
                org.assertj.core.groups.Tuple.tuple(7L, "stream_end"));
        assertThat(ended.closing().getFirst().json()).as("drafts see the transcript after the writeback")
                .isEqualTo("{\"messages\":2}");
        assertThat(seqs("t1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(ended.session().activeTurn()).isNull();
        assertThat(ended.session()).isEqualTo(session("s1"));
        assertThat(ended.promoted()).isEmpty();
        Message reply = transcript("s1").getLast();
        assertThat(reply.role()).isEqualTo(Message.ASSISTANT);
        assertThat(reply.content()).isEqualTo("w1w2w3w4w5");
        assertThat(reply.mark()).isNull();
        assertThat(reply.turnId()).isEqualTo("t1");
        Turn turn = store.findTurn(ALICE, "t1").orElseThrow();
        assertThat(turn.state()).isEqualTo(TurnState.COMPLETED);
        assertThat(turn.endedAt()).isEqualTo(at);
        assertThat(store.runningTurns()).isEmpty();
        assertThat(store.counts()).isEqualTo(new SessionStore.Counts(1, 0));
    }

    @ParameterizedTest
    @EnumSource(value = TurnState.class, names = {"COMPLETED", "CANCELLED", "FAILED", "INTERRUPTED"})
    void theReplyIsMarkedByHowTheTurnEnded(TurnState state) {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));

        ended(ending("t1", state, "partial", List.of(), null));

        Message reply = transcript("s1").getLast();
        Message.Mark expected = switch (state) {
            case CANCELLED -> Message.Mark.STOPPED;
            case FAILED -> Message.Mark.ERROR;
            case INTERRUPTED -> Message.Mark.INTERRUPTED;
            default -> null;
        };
        assertThat(reply.mark()).isEqualTo(expected);
        assertThat(reply.content()).isEqualTo("partial");
        assertThat(reply.error()).isEqualTo(expected == Message.Mark.ERROR || expected == Message.Mark.INTERRUPTED
                ? "it broke" : null);
        assertThat(store.findTurn(ALICE, "t1").orElseThrow().state()).isEqualTo(state);
        assertThat(names("t1").stream().filter(n -> TurnEvent.TERMINAL.contains(n))).hasSize(1);
    }

    @Test
    void aSecondEndIsNotActiveWritesNothingAndAnswersTheFirstEndsClosingEvents() {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));
        store.appendJournal(tokens("t1", 1, 2));
        EndOutcome.Ended first = ended(completed("t1", "done right"));

        EndOutcome second = transitions.end(ending("t1", TurnState.CANCELLED, "late", List.of(), null), now());

        assertThat(second).isEqualTo(new EndOutcome.NotActive(first.closing()));
        assertThat(contents("s1")).containsExactly("user:hi", "assistant:done right");
        assertThat(store.findTurn(ALICE, "t1").orElseThrow().state()).isEqualTo(TurnState.COMPLETED);
        assertThat(names("t1")).containsExactly("token", "token", "done", "stream_end");
    }

    // The torture suite (#4) checks "one active turn at a time" from the turn rows' times; callers
    // read the clock before their write waits in the queue, so the rows must follow commit order.
    @Test
    void aTurnIsNeverStampedAsStartingBeforeThePreviousOneEnded() {
        create("s1");
        Instant readEarly = now();
        started(send(ALICE, "s1", "t1", "hi"));
        Instant endedAt = now();
        transitions.end(completed("t1", "done"), endedAt);

        transitions.start(send(ALICE, "s1", "t2", "again"), readEarly);

        Turn t1 = store.findTurn(ALICE, "t1").orElseThrow();
        Turn t2 = store.findTurn(ALICE, "t2").orElseThrow();
        assertThat(t2.startedAt()).isAfterOrEqualTo(t1.endedAt()).isEqualTo(endedAt);
        assertThat(t1.endedAt()).isAfterOrEqualTo(t1.startedAt());
    }

    @Test
    void endingAnUnknownTurnIsNotActive() {
        assertThat(transitions.end(completed("nope", "x"), now())).isEqualTo(new EndOutcome.NotActive(List.of()));
    }

    @Test
    void theQueueHeadStartsInTheSameStepWithTheReservedId() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first"));
        transitions.start(sendOrQueue(ALICE, "s1", "t-unused", "second", "c2"), now());
        transitions.start(sendOrQueue(ALICE, "s1", "t-unused2", "third", "c3"), now());

        EndOutcome.Ended ended = ended(ending("t1", TurnState.COMPLETED, "one", List.of(), "t-next"));

        Turn next = ended.promoted().orElseThrow();
        assertThat(next.id()).isEqualTo("t-next");
        assertThat(next.state()).isEqualTo(TurnState.RUNNING);
        assertThat(next.clientMessageId()).isEqualTo("c2");
        assertThat(next.userMessageIndex()).isEqualTo(2);
        assertThat(ended.session().activeTurn()).isEqualTo("t-next");
        assertThat(session("s1").activeTurn()).isEqualTo("t-next");
        assertThat(contents("s1")).containsExactly("user:first", "assistant:one", "user:second");
        assertThat(store.queued(ALICE, "s1")).extracting(QueuedMessage::content).containsExactly("third");
        assertThat(store.findTurn(ALICE, "t-next")).contains(next);
        assertThat(transitions.start(sendOrQueue(ALICE, "s1", "t-x", "third", "c3"), now()))
                .isInstanceOf(StartOutcome.AlreadyQueued.class)
                .extracting(o -> ((StartOutcome.AlreadyQueued) o).position()).isEqualTo(1);
        assertThat(transitions.start(sendOrQueue(ALICE, "s1", "t-y", "second", "c2"), now()))
                .isInstanceOf(StartOutcome.Duplicate.class);
    }

    @Test
    void withoutAReservedIdTheQueueWaitsAndTheSessionIsIdle() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first"));
        transitions.start(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());

        EndOutcome.Ended ended = ended(completed("t1", "one"));

        assertThat(ended.promoted()).isEmpty();
        assertThat(session("s1").activeTurn()).isNull();
        assertThat(store.queued(ALICE, "s1")).hasSize(1);
    }

    @Test
    void aWaitingQueueOfAnIdleSessionStartsItsHeadAndNothingElse() {
        create("s1");
        started(send(ALICE, "s1", "t1", "first"));
        transitions.start(sendOrQueue(ALICE, "s1", "t2", "second", "c2"), now());
        assertThat(transitions.startWaiting(ALICE, "s1", "t-busy", now())).as("busy").isEmpty();
        ended(completed("t1", "one"));
        assertThat(store.idleWithWaitingMessages()).extracting(s -> s.id()).containsExactly("s1");

        assertThat(transitions.startWaiting(BOB, "s1", "t-bob", now())).as("not Bob's").isEmpty();
        StartOutcome.Started started = transitions.startWaiting(ALICE, "s1", "t3", now()).orElseThrow();

        assertThat(started.turn().id()).isEqualTo("t3");
        assertThat(started.turn().clientMessageId()).isEqualTo("c2");
        assertThat(started.session()).isEqualTo(session("s1"));
        assertThat(transcript("s1")).extracting(Message::content).containsExactly("first", "one", "second");
        assertThat(store.queued(ALICE, "s1")).isEmpty();
        assertThat(store.idleWithWaitingMessages()).isEmpty();
        assertThat(transitions.startWaiting(ALICE, "s1", "t4", now())).as("nothing waits").isEmpty();
    }

    @Test
    void aLateJournalBatchAfterTheEndWritesNothing() {
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"));
        store.appendJournal(tokens("t1", 1, 2));
        ended(completed("t1", "w1w2"));

        store.appendJournal(tokens("t1", 5, 6));

        assertThat(names("t1")).containsExactly("token", "token", "done", "stream_end");
        assertThat(store.lastSeq("t1")).isEqualTo(4);
    }
}
