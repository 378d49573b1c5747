package dev.tether.turn;

import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.session.StartOutcome;
import dev.tether.session.TurnEvent;
import dev.tether.support.ScriptedModel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The journal's passes: what a running turn logs becomes durable, and so readable, before the turn ends. */
class JournalFlusherTest extends WithTurnRig {
    @Test
    void aRunningTurnsEventsAreJournaledAndShownWhileItStillRuns() throws Exception {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        assertThat(rig.runner().start(send(ALICE, "s1", "t1", "hello"))).isInstanceOf(StartOutcome.Started.class);
        ScriptedModel.Call call = model.nextCall(WAIT);

        call.emit("partial");

        await("the event in the store's journal").atMost(WAIT).until(() -> !rig.store().journal("t1", 0, 10).isEmpty());
        TurnReader.Batch batch = rig.reader().next("t1", 0, WAIT);
        assertThat(batch.events()).extracting(TurnEvent::json).anySatisfy(json -> assertThat(json).contains("partial"));
        assertThat(batch.finished()).isFalse();
        assertThat(rig.live().isRunning("t1")).as("shown before the turn ended").isTrue();

        call.finish();
        await().atMost(WAIT).until(() -> !rig.live().isRunning("t1"));
    }
}
