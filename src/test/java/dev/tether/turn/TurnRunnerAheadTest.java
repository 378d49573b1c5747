package dev.tether.turn;

import static dev.tether.support.TurnRequests.send;
import static dev.tether.support.TurnRequests.sendOrQueue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.model.ChatModel;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelRequest;
import dev.tether.session.Message;
import dev.tether.session.StartOutcome;
import dev.tether.support.ScriptedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A send's worker reads the history while the store decides its start (TurnRunner.runAhead): the
 * model must get exactly the transcript the turn answers, however the read and the start interleave
 * with other turns of the same conversation.
 */
class TurnRunnerAheadTest extends WithTurnRig {
    private static List<String> said(ModelRequest request) {
        return request.messages().stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    private static List<String> said(List<Message> transcript) {
        return transcript.stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    private void awaitIdle(TurnRig rig, String sessionId) {
        await().atMost(WAIT).until(() -> rig.store().findSession(ALICE, sessionId).orElseThrow().activeTurn() == null
                && rig.store().queued(ALICE, sessionId).isEmpty());
    }

    @Test
    void aSendIsAnsweredWithTheHistoryReadWhileItsStartWasDecided() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", java.time.Instant.now());
        assertThat(rig.runner().start(send(ALICE, "s1", "t1", "first"))).isInstanceOf(StartOutcome.Started.class);
        model.nextCall(WAIT).echo();
        awaitIdle(rig, "s1");

        assertThat(rig.runner().start(send(ALICE, "s1", "t2", "second"))).isInstanceOf(StartOutcome.Started.class);
        ScriptedModel.Call call = model.nextCall(WAIT);

        assertThat(said(call.request)).containsExactly("user:first", "assistant:re:first", "user:second");
        assertThat(rig.store().transcriptReads).hasValue(2);
        assertThat(rig.store().historyReads).as("no second trip to the store for the history").hasValue(0);
        call.echo();
        awaitIdle(rig, "s1");
    }

    @Test
    void aTurnThatStartsAndEndsBetweenTheReadAndTheStartMakesTheWorkerReadTheHistoryAgain() throws Exception {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", java.time.Instant.now());
        rig.store().arm(); // its next transaction, the start below, waits at the gate

        // The late send's worker reads the (empty) transcript; its start is held before the store.
        CompletableFuture<StartOutcome> late = CompletableFuture.supplyAsync(
                () -> rig.runner().start(send(ALICE, "s1", "t-late", "late")));
        TurnRig.awaitLatch(rig.store().firstTranscriptRead);
        rig.store().awaitArrival(WAIT);

        // Meanwhile another tab's turn starts and ends: the transcript the late worker read is stale.
        assertThat(rig.runner().start(send(ALICE, "s1", "t-other", "other"))).isInstanceOf(StartOutcome.Started.class);
        model.nextCall(WAIT).echo();
        awaitIdle(rig, "s1");
        int readsBefore = rig.store().historyReads.get();

        rig.store().open();
        assertThat(late.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(StartOutcome.Started.class);
        ScriptedModel.Call call = model.nextCall(WAIT);

        assertThat(said(call.request)).containsExactly("user:other", "assistant:re:other", "user:late");
        assertThat(rig.store().historyReads.get()).as("the stale read was replaced").isEqualTo(readsBefore + 1);
        call.echo();
        awaitIdle(rig, "s1");
    }

    @Test
    void aRefusedSendEndsItsWorkerWithoutCallingTheModelOrWriting() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", java.time.Instant.now());
        rig.runner().start(send(ALICE, "s1", "t1", "first"));
        ScriptedModel.Call running = model.nextCall(WAIT);

        assertThat(rig.runner().start(send(ALICE, "s1", "t2", "second")))
                .isInstanceOf(StartOutcome.TurnActive.class);

        assertThat(rig.live().isRunning("t2")).isFalse();
        running.echo();
        awaitIdle(rig, "s1");
        assertThat(model.callCount()).isEqualTo(1);
        assertThat(said(rig.store().messages(ALICE, "s1", 10, null))).containsExactly("user:first", "assistant:re:first");
    }

    /**
     * Many tabs send into a few conversations at once (queueing when a turn runs), so reads go
     * stale while starts wait for the writer; every turn's model call must carry exactly the
     * transcript before its user message, as stored in the end.
     */
    @Test
    void underManyConcurrentSendsEveryTurnIsAnsweredWithExactlyItsTranscript() throws Exception {
        Map<String, List<String>> historyByMessage = new ConcurrentHashMap<>();
        ChatModel echo = (request, sink, stop) -> {
            String last = request.messages().getLast().content();
            historyByMessage.put(last, said(request));
            sink.accept(new ModelDelta.Text("re:" + last));
        };
        TurnRig rig = rig(echo);
        int sessions = 4;
        int tabsPerSession = 6;
        int sendsPerTab = 12;
        for (int s = 0; s < sessions; s++) {
            rig.store().createSession(ALICE, "s" + s, "New chat", "m1", java.time.Instant.now());
        }
        CyclicBarrier together = new CyclicBarrier(sessions * tabsPerSession);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> tabs = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            for (int t = 0; t < tabsPerSession; t++) {
                String session = "s" + s;
                String tab = session + "-tab" + t;
                tabs.add(Thread.ofPlatform().start(() -> {
                    try {
                        together.await();
                        for (int i = 0; i < sendsPerTab; i++) {
                            StartOutcome o = rig.runner().start(sendOrQueue(ALICE, session,
                                    java.util.UUID.randomUUID().toString(), tab + "-" + i, null));
                            assertThat(o).isInstanceOfAny(StartOutcome.Started.class, StartOutcome.Queued.class);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
        }
        for (Thread t : tabs) {
            t.join(WAIT.toMillis());
        }
        assertThat(failure.get()).isNull();
        for (int s = 0; s < sessions; s++) {
            awaitIdle(rig, "s" + s);
        }

        int answered = 0;
        for (int s = 0; s < sessions; s++) {
            List<Message> transcript = rig.store().messages(ALICE, "s" + s, 10_000, null);
            assertThat(transcript).hasSize(2 * tabsPerSession * sendsPerTab);
            for (int i = 0; i < transcript.size(); i += 2) {
                Message user = transcript.get(i);
                assertThat(user.role()).isEqualTo(Message.USER);
                assertThat(transcript.get(i + 1).content()).isEqualTo("re:" + user.content());
                assertThat(historyByMessage.get(user.content()))
                        .as("history sent for %s", user.content())
                        .isEqualTo(said(transcript.subList(0, i + 1)));
                answered++;
            }
        }
        assertThat(answered).isEqualTo(sessions * tabsPerSession * sendsPerTab);
        assertThat(rig.store().transcriptReads.get()).isPositive();
    }
}
