package dev.tether.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's command line: {@code --name value} pairs, every one optional. Defaults are the
 * targets of the performance issue (fake: 200 tokens at 50 tokens/s, first token after 100 ms).
 */
record BenchOptions(
        List<String> scenarios,
        List<Integer> burstN,
        int sustainedM,
        int durationS,
        List<Integer> idleK,
        List<Integer> replayEvents,
        int floodN,
        int floodTokens,
        int unitTurns,
        int tokens,
        int rate,
        int firstMs,
        int repeat,
        int warmup,
        boolean jfr,
        List<String> serverJvm,
        String serverClasspath,
        List<String> stores,
        String postgres,
        Path out) {

    /** Every scenario, in the order {@code all} runs them. */
    static final List<String> SCENARIOS = List.of("unit", "burst", "sustained", "idle", "replay", "flood", "floor", "wire");

    /** The stores a server can run on; {@code --store} picks some, each server scenario runs on each. */
    static final List<String> STORES = List.of("sqlite", "postgresql");

    /** Tokens of one rehearsal turn in the warm-up (see Lab.warmup). */
    static final int REHEARSAL_TOKENS = 25;

    static final String USAGE = """
            bin/bench [--scenario unit,burst,sustained,idle,replay,flood,floor,wire | all]
                      [--n 200,1000,2000,5000] [--m 2000] [--duration 60] [--k 1000,10000]
                      [--events 10000,100000] [--flood-n 200] [--flood-tokens 1000]
                      [--unit-turns 2000] [--tokens 200] [--rate 50] [--first-ms 100] [--repeat 1]
                      [--warmup 20000] [--jfr] [--server-jvm "-XX:+UseG1GC"] [--out target/bench/<time>]
                      [--store sqlite,postgresql] [--postgres 127.0.0.1:5432 (user postgres, a new database per run)]
            bin/bench --selftest [Maven arguments]    (the harness's own tests: tiny runs, no timings)
            """;

    static BenchOptions parse(String... args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + k + "'\n" + USAGE);
            }
            if (k.equals("--jfr") || k.equals("--help")) {
                a.put(k, "true");
            } else if (i + 1 < args.length) {
                a.put(k, args[++i]);
            } else {
                throw new IllegalArgumentException(k + " needs a value\n" + USAGE);
            }
        }
        if (a.containsKey("--help")) {
            throw new IllegalArgumentException(USAGE);
        }
        List<String> scenarios = list(a.getOrDefault("--scenario", "all"));
        if (scenarios.contains("all")) {
            scenarios = SCENARIOS;
        }
        scenarios.stream().filter(x -> !SCENARIOS.contains(x)).findFirst().ifPresent(x -> {
            throw new IllegalArgumentException("unknown scenario '" + x + "'\n" + USAGE);
        });
        List<String> stores = list(a.getOrDefault("--store", "sqlite"));
        stores.stream().filter(x -> !STORES.contains(x)).findFirst().ifPresent(x -> {
            throw new IllegalArgumentException("unknown store '" + x + "' (sqlite or postgresql)\n" + USAGE);
        });
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return new BenchOptions(scenarios,
                ints(a.getOrDefault("--n", "200,1000,2000,5000")),
                Integer.parseInt(a.getOrDefault("--m", "2000")),
                Integer.parseInt(a.getOrDefault("--duration", "60")),
                ints(a.getOrDefault("--k", "1000,10000")),
                ints(a.getOrDefault("--events", "10000,100000")),
                Integer.parseInt(a.getOrDefault("--flood-n", "200")),
                Integer.parseInt(a.getOrDefault("--flood-tokens", "1000")),
                Integer.parseInt(a.getOrDefault("--unit-turns", "2000")),
                Integer.parseInt(a.getOrDefault("--tokens", "200")),
                Integer.parseInt(a.getOrDefault("--rate", "50")),
                Integer.parseInt(a.getOrDefault("--first-ms", "100")),
                Integer.parseInt(a.getOrDefault("--repeat", "1")),
                Integer.parseInt(a.getOrDefault("--warmup", "20000")),
                a.containsKey("--jfr"),
                Arrays.stream(a.getOrDefault("--server-jvm", System.getProperty("bench.serverJvm", "-XX:+UseG1GC"))
                        .trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                System.getProperty("bench.serverClasspath", System.getProperty("java.class.path")),
                stores,
                a.getOrDefault("--postgres", "127.0.0.1:5432"),
                Path.of(a.getOrDefault("--out", "target/bench/" + stamp)));
    }

    /** The options as a reader needs them (no classpath). */
    String describe() {
        return "scenarios=" + scenarios + " n=" + burstN + " m=" + sustainedM + " duration=" + durationS + "s k=" + idleK
                + " events=" + replayEvents + " flood=" + floodN + "x" + floodTokens
                + " unit-turns=" + unitTurns + " fake=" + tokens + " tokens at " + rate + "/s, first after " + firstMs
                + " ms; repeat=" + repeat + " warmup=" + warmup + " jfr=" + jfr + " server-jvm=" + serverJvm
                + " stores=" + stores + (stores.contains("postgresql") ? " postgres=" + postgres : "");
    }

    /** The paced reply of the targets. */
    String pacedModel() {
        return BenchProvider.model(tokens, 1_000_000L / rate, firstMs);
    }

    String warmupModel() {
        return BenchProvider.model(20, 0, 0);
    }

    /** The warm-up's rehearsal: the paced reply's rate and first-token delay, but short. */
    String rehearsalModel() {
        return BenchProvider.model(REHEARSAL_TOKENS, 1_000_000L / rate, firstMs);
    }

    String unitModel() {
        return BenchProvider.model(1, 0, 0);
    }

    String floodModel() {
        return BenchProvider.model(floodTokens, 0, 0);
    }

    String replayModel(int events) {
        return BenchProvider.model(events, 0, 0);
    }

    /** Every model id the server must offer for these options. */
    List<String> models() {
        List<String> m = new ArrayList<>(List.of(pacedModel(), warmupModel(), rehearsalModel(), unitModel(), floodModel()));
        replayEvents.forEach(e -> m.add(replayModel(e)));
        return m.stream().distinct().toList();
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static List<Integer> ints(String s) {
        return list(s).stream().map(Integer::parseInt).toList();
    }
}
