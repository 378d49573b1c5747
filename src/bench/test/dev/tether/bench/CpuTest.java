package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuTest {
    private static Cpu at(double server, Map<String, Double> threads) {
        return new Cpu(server, 0, 0, 0, threads, null);
    }

    @Test
    void theJournalsShareIsWhatItsFlusherAndTheStoresWriterSpentOfTheServersCpu() {
        Cpu before = at(10.0, Map.of("sqlite-write", 1.0, "journal-flusher", 0.5, "ForkJoinPool-N-", 3.0));
        Cpu after = at(14.0, Map.of("sqlite-write", 2.0, "journal-flusher", 1.0, "ForkJoinPool-N-", 5.0,
                "sqlite-read-N", 0.5));

        assertThat(before.journalShare(after)).isEqualTo(0.375); // (1.0 + 0.5) of 4.0 CPU-s
    }

    @Test
    void aServerThatSpentNothingHasNoShare() {
        assertThat(at(1.0, Map.of()).journalShare(at(1.0, Map.of()))).isZero();
    }
}
