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

    private static void check(TortureReport report) {
        System.out.println(report.summary());
        assertThat(report.violations()).as(report.summary()).isEmpty();
        assertThat(report.turnsAnswered()).as("the run started turns at all").isGreaterThan(20);
    }
}
