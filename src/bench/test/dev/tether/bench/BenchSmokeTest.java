package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark working: tiny runs of each kind of scenario against real server processes.
 * No timings are asserted; those are benchmark figures (docs/performance.md), not test outcomes.
 */
class BenchSmokeTest {

    @Test
    void tinyBurstIdleAndReplayRunAndWriteTheirReports(@TempDir Path out) throws Exception {
        BenchOptions o = BenchOptions.parse("--scenario", "burst,idle,replay", "--n", "5", "--k", "5",
                "--events", "1000", "--tokens", "5", "--rate", "500", "--first-ms", "10", "--warmup", "5",
                "--out", out.toString());

        Bench.run(o);

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("results");
        assertThat(results).hasSize(3);
        JsonNode burst = results.get(0);
        assertThat(burst.path("completed").asInt()).isEqualTo(5);
        assertThat(burst.path("errors").size()).isZero();
        assertThat(burst.path("tokens_received").asInt()).isEqualTo(25);
        assertThat(burst.path("ttft_overhead").path("count").asInt()).isEqualTo(5);
        assertThat(results.get(1).path("subscribed").asInt()).isEqualTo(5);
        assertThat(results.get(2).path("frames_received").asInt()).isGreaterThanOrEqualTo(1000);
        assertThat(Files.readString(out.resolve("results.md"))).contains("## Burst", "## Idle", "## Replay");
        assertThat(Files.size(out.resolve("ttft-overhead.png"))).isPositive();
    }

    @Test
    void aTinyFloodRelaysEveryTokenAndSaysWhatShareOfTheServersCpuTheJournalTook(@TempDir Path out) throws Exception {
        BenchOptions o = BenchOptions.parse("--scenario", "flood", "--flood-n", "5", "--flood-tokens", "200",
                "--warmup", "5", "--out", out.toString());

        Bench.run(o);

        JsonNode flood = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("results").get(0);
        assertThat(flood.path("label").asText()).isEqualTo("tether");
        assertThat(flood.path("completed").asInt()).isEqualTo(5);
        assertThat(flood.path("errors").size()).isZero();
        assertThat(flood.path("tokens_received").asInt()).isEqualTo(1000);
        assertThat(flood.path("journal_share_of_server_cpu").isNumber()).isTrue();
        assertThat(flood.path("journal_share_of_server_cpu").asDouble()).isBetween(0.0, 1.0);
        assertThat(Files.readString(out.resolve("results.md"))).contains("## Flood", "journal share of server CPU");
    }

    @Test
    void theFloorRunsTheSameTurnsStraightAgainstTheProvider(@TempDir Path out) throws Exception {
        BenchOptions o = BenchOptions.parse("--scenario", "floor", "--n", "5", "--m", "5", "--duration", "3",
                "--tokens", "5", "--rate", "500", "--first-ms", "10", "--warmup", "5", "--out", out.toString());

        Bench.run(o);

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("results");
        assertThat(results).hasSize(2);
        JsonNode burst = results.get(0);
        assertThat(burst.path("label").asText()).isEqualTo("floor");
        assertThat(burst.path("completed").asInt()).isEqualTo(5);
        assertThat(burst.path("errors").size()).isZero();
        assertThat(burst.path("tokens_received").asInt()).isEqualTo(25);
        assertThat(burst.path("ttft_overhead").path("count").asInt()).isEqualTo(5);
        JsonNode sustained = results.get(1);
        assertThat(sustained.path("errors").size()).isZero();
        assertThat(sustained.path("window_tokens").asLong()).isPositive();
        assertThat(sustained.path("cpu").path("server_cpu_s").asDouble()).isZero();
        assertThat(sustained.path("provider_and_client_cpu_us_per_token").asDouble()).isPositive();
    }

    /** Needs the PostgreSQL the README's tests use (127.0.0.1:5432, user postgres). */
    @Test
    void eachServerScenarioRunsOnEachStoreAndThePostgresqlRunsSayWhatTheDatabaseDid(@TempDir Path out) throws Exception {
        BenchOptions o = BenchOptions.parse("--scenario", "burst,sustained", "--store", "sqlite,postgresql", "--n", "5",
                "--m", "5", "--duration", "3", "--tokens", "5", "--rate", "500", "--first-ms", "10", "--warmup", "5",
                "--out", out.toString());

        Bench.run(o);

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("results");
        assertThat(results).extracting(r -> r.path("scenario").asText() + " " + r.path("store").asText())
                .containsExactly("burst sqlite", "burst postgresql", "sustained sqlite", "sustained postgresql");
        for (JsonNode r : results) {
            assertThat(r.path("errors").size()).as(r.toString()).isZero();
            assertThat(r.has("postgresql")).as(r.toString()).isEqualTo(r.path("store").asText().equals("postgresql"));
        }
        JsonNode burst = results.get(1).path("postgresql");
        assertThat(burst.path("commits").asLong()).as("each turn commits its start and end at least").isGreaterThanOrEqualTo(10);
        assertThat(burst.path("rows_written").asLong()).as("5 turns of 5 tokens journal 25 rows and more")
                .isGreaterThanOrEqualTo(25);
        assertThat(burst.path("wal_bytes_per_token").asLong()).isPositive();
        assertThat(results.get(3).path("postgresql").path("commits_per_s").asLong()).isPositive();
        assertThat(Files.readString(out.resolve("results.md"))).contains("## PostgreSQL's side", "tether postgresql");
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'tether_bench_"
                     + ProcessHandle.current().pid() + "_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the run's databases are dropped at the end").isZero();
        }
    }

    @Test
    void theWireMovesStampedMessagesOverLoopbackAndReportsTheirCost(@TempDir Path out) throws Exception {
        BenchOptions o = BenchOptions.parse("--scenario", "wire", "--m", "5", "--rate", "500", "--duration", "1",
                "--out", out.toString());

        Bench.run(o);

        JsonNode wire = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("results").get(0);
        assertThat(wire.path("offered_tokens_per_s").asLong()).isEqualTo(2500);
        assertThat(wire.path("tokens_per_s").asLong()).isBetween(2000L, 3000L);
        assertThat(wire.path("relay_delay").path("count").asLong()).isPositive();
        assertThat(wire.path("cpu_us_per_token_one_hop").asDouble()).isPositive();
        assertThat(Files.readString(out.resolve("results.md"))).contains("## Wire");
    }
}
