package dev.tether.turn;

import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static dev.tether.support.TurnRequests.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.session.Message;
import dev.tether.session.SessionChanges;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.StartOutcome;
import dev.tether.session.TurnEvent;
import dev.tether.session.TurnState;
import dev.tether.support.ScriptedModel;
import dev.tether.support.Simultaneous;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The one door through which turns end: Stop, delete, recovery, shutdown and the worker's own end. */
class TurnEndsTest extends WithTurnRig {

    @Test
    void aStopEndsALiveTurnOnceWithItsTextSoFarAndTheWorkersLateEndWritesNothing() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.runner().start(send(ALICE, "s1", "t1", "hello"));
        ScriptedModel.Call call = model.nextCall(WAIT).ignoreStop().emit("par").emit("tial");
        await().atMost(WAIT).until(() -> rig.live().find("t1").orElseThrow().log.lastSeq() == 2);

        assertThat(rig.runner().ends().cancel(ALICE, "t1")).isInstanceOf(TurnEnds.CancelOutcome.Cancelled.class);
        assertThat(rig.runner().ends().cancel(ALICE, "t1")).isInstanceOf(TurnEnds.CancelOutcome.AlreadyEnded.class);
        assertThat(rig.runner().ends().cancel("mallory", "t1")).isInstanceOf(TurnEnds.CancelOutcome.NotFound.class);
        call.emit("more").finish(); // the worker never saw the stop: its own end must lose
        call.awaitReturned(WAIT);

        assertThat(rig.store().findTurn(null, "t1").orElseThrow().state()).isEqualTo(TurnState.CANCELLED);
        assertThat(terminals(rig, "t1")).containsExactly("cancel");
        assertThat(rig.store().messages(ALICE, "s1", 10, null)).extracting(Message::content, Message::mark)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", null),
                        org.assertj.core.groups.Tuple.tuple("partial", Message.Mark.STOPPED));
        await().atMost(WAIT).until(() -> rig.live().size() == 0);
    }

    @Test
    void aTurnNoWorkerRunsEndsWithItsReplyRebuiltFromTheJournal() {
        TurnRig rig = rig(ScriptedModel.manual());
        SessionLifecycle lifecycle = new SessionLifecycle(rig.store(), SessionChanges.NONE, Clock.systemUTC());
        lifecycle.create(ALICE, "s1", "New chat", "m1");
        assertThat(lifecycle.start(send(ALICE, "s1", "t-left", "hi"))).isInstanceOf(StartOutcome.Started.class);
        rig.store().appendJournal(List.of(token("t-left", 1, "half "), token("t-left", 2, "a reply")));

        assertThat(rig.runner().ends().recover()).isEqualTo(1);
        assertThat(rig.runner().ends().recover()).as("nothing left the second time").isZero();

        assertThat(rig.store().findTurn(null, "t-left").orElseThrow().state()).isEqualTo(TurnState.INTERRUPTED);
        assertThat(terminals(rig, "t-left")).containsExactly("apperror");
        Message reply = rig.store().messages(ALICE, "s1", 10, null).getLast();
        assertThat(reply.content()).isEqualTo("half a reply");
        assertThat(reply.mark()).isEqualTo(Message.Mark.INTERRUPTED);
        assertThat(reply.error()).isEqualTo(EndReason.INTERRUPTED_MESSAGE);
    }

    @Test
    void anEndingStartsTheQueuedMessageAsALiveTurnAndShutdownInterruptsWhatRuns() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.runner().start(send(ALICE, "s1", "t1", "first"));
        ScriptedModel.Call first = model.nextCall(WAIT);
        assertThat(rig.runner().start(sendOrQueue(ALICE, "s1", "ignored", "second", "c2")))
                .isInstanceOf(StartOutcome.Queued.class);

        rig.runner().ends().cancel(ALICE, "t1");
        ScriptedModel.Call second = model.nextCall(WAIT);
        String promoted = rig.store().findSession(ALICE, "s1").orElseThrow().activeTurn();
        assertThat(promoted).isNotNull().isNotEqualTo("t1");
        assertThat(rig.live().isRunning(promoted)).as("the promoted turn runs here").isTrue();
        assertThat(second.lastUserMessage()).isEqualTo("second");
        assertThat(first.isStopped()).isTrue();

        rig.runner().ends().interruptAll();

        assertThat(rig.store().findTurn(null, promoted).orElseThrow().state()).isEqualTo(TurnState.INTERRUPTED);
        assertThat(rig.store().runningTurns()).isEmpty();
        await().atMost(WAIT).until(() -> rig.live().size() == 0);
    }

    @Test
    void aCleanStopLeavesTheQueueWaitingAndTheNextStartRunsIt() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.runner().start(send(ALICE, "s1", "t1", "first"));
        model.nextCall(WAIT);
        rig.runner().start(sendOrQueue(ALICE, "s1", "ignored", "second", "c2"));

        rig.runner().ends().interruptAll();

        assertThat(rig.store().findTurn(null, "t1").orElseThrow().state()).isEqualTo(TurnState.INTERRUPTED);
        assertThat(rig.store().findSession(ALICE, "s1").orElseThrow().activeTurn()).as("nothing started").isNull();
        assertThat(rig.store().queued(ALICE, "s1")).extracting(q -> q.content()).containsExactly("second");
        await().atMost(WAIT).until(() -> rig.live().size() == 0);

        LiveTurns live = new LiveTurns();
        try (JournalFlusher journal = new JournalFlusher(live, rig.store())) {
            TurnRunner restarted = new TurnRunner(new SessionLifecycle(rig.store(), SessionChanges.NONE,
                    Clock.systemUTC()), rig.store(), new dev.tether.support.NoAttachments(), live,
                    rig.catalog(), journal);
            assertThat(restarted.ends().recover()).as("nothing was left running").isZero();
            ScriptedModel.Call second = model.nextCall(WAIT);
            assertThat(second.lastUserMessage()).isEqualTo("second");
            assertThat(rig.store().queued(ALICE, "s1")).isEmpty();
            second.echo();
            await().atMost(WAIT).until(() -> rig.store().findSession(ALICE, "s1").orElseThrow().activeTurn() == null);
        }
        assertThat(rig.store().messages(ALICE, "s1", 10, null)).extracting(Message::content)
                .containsExactly("first", "", "second", "re:second");
    }

    @Test
    void deletingASessionEndsItsLiveTurnForItsReadersAndItsWorkerWritesNothingAfter() throws Exception {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.runner().start(send(ALICE, "s1", "t1", "hello"));
        ScriptedModel.Call call = model.nextCall(WAIT).ignoreStop().emit("x");
        LiveTurn live = rig.live().find("t1").orElseThrow();

        assertThat(rig.runner().ends().deleteSession(ALICE, "s1")).isTrue();
        assertThat(rig.runner().ends().deleteSession(ALICE, "s1")).isFalse();
        call.finish();
        call.awaitReturned(WAIT);

        assertThat(live.log.read(0, java.time.Duration.ZERO)).isInstanceOfSatisfying(TurnLog.Read.Events.class,
                events -> assertThat(events.events()).extracting(TurnEvent::name).contains("cancel"));
        assertThat(rig.store().findSession(ALICE, "s1")).isEmpty();
        assertThat(rig.store().findTurn(null, "t1")).isEmpty();
        await().atMost(WAIT).until(() -> rig.live().size() == 0);
    }

    /** A worker finishing while eight Stops arrive at once: exactly one of them, or the worker, ends it. */
    @RepeatedTest(20)
    void concurrentStopsAndTheWorkersEndEndTheTurnExactlyOnce() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.runner().start(send(ALICE, "s1", "t1", "hello"));
        ScriptedModel.Call call = model.nextCall(WAIT).ignoreStop().emit("a");

        List<Object> outcomes = Simultaneous.run(9, i -> {
            if (i == 0) {
                call.finish();
                return "worker";
            }
            return rig.runner().ends().cancel(ALICE, "t1");
        });
        call.awaitReturned(WAIT);
        await().atMost(WAIT).until(() -> rig.live().size() == 0); // the worker's own end, if it won, is done

        long cancelled = outcomes.stream().filter(o -> o instanceof TurnEnds.CancelOutcome.Cancelled).count();
        TurnState state = rig.store().findTurn(null, "t1").orElseThrow().state();
        assertThat(cancelled).isEqualTo(state == TurnState.CANCELLED ? 1 : 0);
        assertThat(state).isIn(TurnState.CANCELLED, TurnState.COMPLETED);
        assertThat(terminals(rig, "t1")).hasSize(1);
        assertThat(rig.store().messages(ALICE, "s1", 10, null)).hasSize(2);
        assertThat(rig.store().findSession(ALICE, "s1").orElseThrow().activeTurn()).isNull();
    }

    private static List<String> terminals(TurnRig rig, String turnId) {
        return rig.store().journal(turnId, 0, 1000).stream().filter(TurnEvent::isTerminal).map(TurnEvent::name)
                .toList();
    }
}
