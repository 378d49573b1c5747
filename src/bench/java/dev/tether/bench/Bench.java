package dev.tether.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tether's benchmark: starts a lean provider and fresh Tether servers as their own processes,
 * drives the public HTTP API as browsers do, and writes {@code results.json}, {@code results.md}
 * and {@code ttft-overhead.png} to the output directory. Run by {@code bin/bench}; see
 * docs/performance.md. {@code Bench provider} runs only the provider (the benchmark starts it so).
 */
public final class Bench {
    /** Scenarios that start no Tether server, so have no store. */
    private static final List<String> NO_SERVER = List.of("floor", "wire");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("provider")) {
            BenchProvider.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(BenchOptions.USAGE);
            System.exit(0);
            return;
        }
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path out = run(o);
        System.out.println("Results: " + out.resolve("results.md") + ", results.json, ttft-overhead.png");
        System.exit(0);
    }

    /** Runs the chosen scenarios and writes the reports; returns the output directory. */
    public static Path run(BenchOptions o) throws IOException {
        Files.createDirectories(o.out());
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Machine.describe());
        doc.put("options", o.describe());
        doc.put("results", results);
        try (Lab lab = new Lab(o)) {
            Scenarios s = new Scenarios(lab);
            SubscriberScenarios subscribers = new SubscriberScenarios(lab);
            for (String scenario : o.scenarios()) {
                for (int rep = 0; rep < o.repeat(); rep++) {
                    // Scenarios without a server run once; the others once per store, one after the other.
                    for (String store : NO_SERVER.contains(scenario) ? List.of("none") : o.stores()) {
                        lab.useStore(store);
                        runOne(s, subscribers, o, scenario, r -> {
                            if (!NO_SERVER.contains(scenario)) {
                                r.put("store", store);
                            }
                            add(results, r);
                            writeQuietly(o.out(), doc, results);
                        });
                    }
                }
            }
        }
        write(o.out(), doc, results);
        return o.out();
    }

    private static void runOne(Scenarios s, SubscriberScenarios subscribers, BenchOptions o, String scenario,
                               Consumer<Map<String, Object>> done) {
        switch (scenario) {
            case "unit" -> done.accept(s.unit());
            case "burst" -> o.burstN().forEach(n -> done.accept(s.burst(n)));
            case "sustained" -> done.accept(s.sustained(o.sustainedM()));
            case "idle" -> o.idleK().forEach(k -> done.accept(subscribers.idle(k)));
            case "replay" -> o.replayEvents().forEach(e -> done.accept(subscribers.replay(e)));
            case "flood" -> done.accept(s.flood(o.floodN()));
            case "wire" -> done.accept(s.wire(o.sustainedM()));
            case "floor" -> {
                o.burstN().forEach(n -> done.accept(s.floorBurst(n)));
                done.accept(s.floorSustained(o.sustainedM()));
            }
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'\n" + BenchOptions.USAGE);
        }
    }

    private static void add(List<Map<String, Object>> results, Map<String, Object> r) {
        results.add(r);
        System.out.println(Report.oneLine(r));
    }

    private static void writeQuietly(Path out, Map<String, Object> doc, List<Map<String, Object>> results) {
        try {
            write(out, doc, results);
        } catch (IOException e) {
            System.err.println("could not write results: " + e);
        }
    }

    private static void write(Path out, Map<String, Object> doc, List<Map<String, Object>> results) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), doc);
        Files.writeString(out.resolve("results.md"), Report.markdown(doc, results));
        Chart.ttftOverhead(results, out.resolve("ttft-overhead.png"));
    }
}
