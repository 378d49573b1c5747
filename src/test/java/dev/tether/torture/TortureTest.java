package dev.tether.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bounded torture runs of the README's test command: random clients on shared sessions with
 * provider faults, once in process and once with the server as a process that is SIGKILLed and
 * restarted; every invariant of the suite is checked (see {@link StoreInvariants},
 * {@link ClientInvariants}). On failure the message starts with the seed and the properties that
 * replay the run, e.g. {@code bin/test -Dtest='TortureTest#randomClientsWithKills' -Dtorture.seed=...}.
 */
class TortureTest {
    static final long SEED = 20_260_404L;

    @Test
    void randomClientsOnSharedSessions() {
        check(TortureRun.run(TortureSettings.fromProperties(SEED, Duration.ofSeconds(45), 6, null)));
    }

    @Test
    void randomClientsWithKills() {
        check(TortureRun.run(TortureSettings.fromProperties(SEED + 1, Duration.ofSeconds(45), 4,
                Duration.ofSeconds(12))));
    }

    /** Three instances on one PostgreSQL database, clients spread over them, kills hitting any of them. */
    @Test
    void randomClientsOnAClusterWithKills() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                "postgresql".equals(System.getProperty(dev.tether.support.TestStore.PROPERTY)),
                "runs in the PostgreSQL pass");
        check(TortureRun.run(TortureSettings.fromProperties(SEED + 2, Duration.ofSeconds(45), 4,
                Duration.ofSeconds(12)).onInstances(3)));
    }

    private static void check(TortureReport report) {
        System.out.println(report.summary());
        assertThat(report.violations()).as(report.summary()).isEmpty();
        assertThat(report.turnsAnswered()).as("the run started turns at all").isGreaterThan(20);
    }
}
