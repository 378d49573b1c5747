package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final Map<String, Object> DOC = Map.of("machine", Map.of("cpu", "x", "cores", 2), "options", "o");

    private static Map<String, Object> burst(String label, double p50, double p99, double relayP99) {
        return Map.of("scenario", "burst", "label", label, "n", 200,
                "ttft_overhead", Map.of("p50_ms", p50, "p99_ms", p99), "relay_delay", Map.of("p99_ms", relayP99));
    }

    @Test
    void setsTheFirstTetherRunOfEachShapeBesideTheFloorOfTheSameShape() {
        List<Map<String, Object>> results = List.of(
                burst("tether", 40.0, 60.0, 10.0),
                burst("tether", 99.0, 99.0, 99.0),
                burst("floor", 4.0, 8.0, 2.0),
                Map.of("scenario", "sustained", "label", "m2000", "m", 2000, "tokens_per_s", 45000,
                        "relay_delay", Map.of("p99_ms", 900.0)),
                Map.of("scenario", "sustained", "label", "floor", "m", 2000, "tokens_per_s", 79000,
                        "relay_delay", Map.of("p99_ms", 30.0)));

        String md = Report.markdown(DOC, results);

        assertThat(md).contains("## Tether over the floor")
                .contains("| burst 200 | 40.0 / 4.0 (10.0×) | 60.0 / 8.0 (7.5×) | 10.0 / 2.0 (5.0×) | – / – |")
                .contains("| sustained 2000 | – / – | – / – | 900.0 / 30.0 (30.0×) | 45000 / 79000 |");
    }

    @Test
    void hasNoFloorTableWithoutAFloorRun() {
        String md = Report.markdown(DOC, List.of(burst("tether", 40.0, 60.0, 10.0)));

        assertThat(md).doesNotContain("over the floor");
    }

    @Test
    void theFloodTableSaysTheJournalsShareOfTheServersCpu() {
        String md = Report.markdown(DOC, List.of(Map.of("scenario", "flood", "label", "tether", "n", 200,
                "tokens_per_s", 166293, "server_cpu_us_per_token", 8.5, "journal_share_of_server_cpu", 0.385)));

        assertThat(md).contains("journal share of server CPU")
                .containsPattern("\\| 200 \\| tether \\|.*\\| 166293 \\|.*\\| 8\\.5 \\| 0\\.385 \\|");
    }
}
