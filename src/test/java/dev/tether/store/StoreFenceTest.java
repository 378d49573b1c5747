package dev.tether.store;

import static dev.tether.support.TurnRequests.completed;
import static dev.tether.support.TurnRequests.ending;
import static dev.tether.support.TurnRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.session.EndOutcome;
import dev.tether.session.Fence;
import dev.tether.session.StartOutcome;
import dev.tether.session.Turn;
import dev.tether.session.TurnEnding;
import dev.tether.session.TurnState;
import dev.tether.store.postgres.PostgresInstances;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instances, leases and fencing tokens: a fenced instance's worker writes nothing (neither journal
 * rows nor its ending) even while its turn still runs, fencing is a compare-and-set on the epoch,
 * and the turns it left are orphans until someone ends them.
 */
class StoreFenceTest extends SessionStoreContract {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @BeforeEach
    void needsInstances() {
        assumeTrue(instances != null, "this store keeps no instances");
    }

    @Test
    void aFencedWriterWritesNothingWhileItsTurnStillRuns() {
        Fence a = instances.register("a", "test a", LEASE);
        Fence b = instances.register("b", "test b", LEASE);
        create("s1");
        Turn t1 = started(send(ALICE, "s1", "t1", "hi"), a);
        assertThat(t1.fence()).isEqualTo(a);
        assertThat(store.appendJournal(tokens("t1", 1, 3), a).written()).containsExactly("t1");
        assertThat(instances.orphanedTurns()).as("a's lease holds").isEmpty();

        assertThat(instances.fenceDead(b)).as("a holds no presence here, so b sees it dead").containsExactly(a);

        assertThat(store.appendJournal(tokens("t1", 4, 6), a).fenced()).as("a's late pass is refused").isTrue();
        assertThat(seqs("t1")).containsExactly(1L, 2L, 3L);
        TurnEnding late = withWriter(completed("t1", "a's late reply"), a);
        assertThat(transitions.end(late, now())).isEqualTo(new EndOutcome.NotActive(List.of()));
        assertThat(store.findTurn(ALICE, "t1").orElseThrow().state()).as("still running, for the taker-over")
                .isEqualTo(TurnState.RUNNING);
        assertThat(instances.orphanedTurns()).extracting(Turn::id).containsExactly("t1");

        assertThat(transitions.end(ending("t1", TurnState.INTERRUPTED, "w1w2w3", List.of(), null), now()))
                .isInstanceOf(EndOutcome.Ended.class);
        assertThat(names("t1")).containsExactly("token", "token", "token", "apperror");
        assertThat(instances.orphanedTurns()).isEmpty();
    }

    @Test
    void fencingIsACompareAndSetAndARegistrationAfterItIsANewEpoch() {
        Fence a = instances.register("a", "test a", LEASE);
        Fence b = instances.register("b", "test b", LEASE);
        Fence c = instances.register("c", "test c", LEASE);
        assertThat(instances.renew(a, LEASE)).isTrue();
        assertThat(instances.fenceDead(b)).as("no presence is held here: b sees a and c dead")
                .containsExactlyInAnyOrder(a, c);
        assertThat(instances.fenceDead(c)).as("a was fenced already, not again; b is c's to fence")
                .extracting(Fence::instance).containsExactly("b");
        assertThat(instances.renew(a, LEASE)).as("a learns it was fenced").isFalse();

        Fence again = instances.register("a", "test a", LEASE);
        assertThat(again.epoch()).isGreaterThan(a.epoch());
        assertThat(instances.renew(again, LEASE)).isTrue();
        create("s1");
        started(send(ALICE, "s1", "t1", "hi"), a); // a start that raced the fencing: its turn is born orphaned
        assertThat(instances.orphanedTurns()).extracting(Turn::id).containsExactly("t1");
        assertThat(store.appendJournal(tokens("t1", 1, 1), again)).as("the new epoch is not the turn's")
                .isEqualTo(new dev.tether.session.TurnJournal.Appended(java.util.Set.of(), false));
        assertThat(seqs("t1")).as("events of a turn that does not carry the writer's fence are dropped").isEmpty();
    }

    @Test
    void onPostgresqlAnInstanceWhosePresenceIsHeldIsNotFencedBeforeItsLeaseRunsOut() throws Exception {
        assumeTrue(kind == StoreKind.POSTGRESQL, "presence is PostgreSQL's");
        Fence a = instances.register("a", "test a", LEASE);
        Fence b = instances.register("b", "test b", LEASE);
        try (Connection presence = DriverManager.getConnection(jdbcUrl(), "postgres", null);
             Statement s = presence.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + PostgresInstances.key("a") + ")");
            assertThat(instances.fenceDead(b)).as("a is alive: its presence is held").isEmpty();
            instances.register("b", "test b", Duration.ofMillis(1)); // b's own lease runs out at once
            assertThat(instances.fenceDead(instances.register("c", "test c", LEASE))).as("b's lease ran out")
                    .extracting(Fence::instance).containsExactly("b");
        }
        // The server ends the closed session, and drops its lock, on its own time after close() returns.
        org.awaitility.Awaitility.await("a's process is gone: fenced before its lease ends")
                .atMost(Duration.ofSeconds(10)).until(() -> instances.fenceDead(b).contains(a));
    }

    private Turn started(dev.tether.session.StartRequest request, Fence runner) {
        StartOutcome outcome = transitions.start(request, runner, now());
        assertThat(outcome).isInstanceOf(StartOutcome.Started.class);
        return ((StartOutcome.Started) outcome).turn();
    }

    private static TurnEnding withWriter(TurnEnding e, Fence writer) {
        return new TurnEnding(e.turnId(), e.state(), e.reply(), e.pending(), e.closing(), e.nextTurnId(), writer);
    }
}
