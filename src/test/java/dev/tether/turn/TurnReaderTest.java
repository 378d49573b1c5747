package dev.tether.turn;

import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.session.StartOutcome;
import dev.tether.support.ScriptedModel;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Who may read a turn: a reply running here answers from memory, anything else from the store. */
class TurnReaderTest extends WithTurnRig {
    @Test
    void aReplyRunningHereIsReadableByItsOwnerWithoutAStoreReadAndByNoOneElse() {
        ScriptedModel model = ScriptedModel.manual();
        TurnRig rig = rig(model);
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
        TurnRig rig = rig(model);
        rig.store().createSession(ALICE, "s1", "New chat", "m1", Instant.now());
        rig.store().arm(); // its next transaction, the start below, waits at the gate

        CompletableFuture<StartOutcome> start = CompletableFuture.supplyAsync(
                () -> rig.runner().start(send(ALICE, "s1", "t-held", "hello")));
        rig.store().awaitArrival(WAIT);

        assertThat(rig.reader().readable(ALICE, "t-held")).as("reserved here, but the store has not started it").isFalse();

        rig.store().open();
        assertThat(start.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(StartOutcome.Started.class);
        assertThat(rig.reader().readable(ALICE, "t-held")).isTrue();
        model.nextCall(WAIT).echo();
        await().atMost(WAIT).until(() -> rig.store().findSession(ALICE, "s1").orElseThrow().activeTurn() == null);
    }
}
