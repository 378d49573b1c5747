package dev.tether.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The Markdown form of the results: one table per scenario, columns named with their units. */
final class Report {
    private Report() {}

    static String markdown(Map<String, Object> doc, List<Map<String, Object>> results) {
        StringBuilder sb = new StringBuilder("# Tether benchmark results\n\n");
        Map<?, ?> machine = (Map<?, ?>) doc.get("machine");
        sb.append("Machine: ").append(machine.get("cpu")).append(", ").append(machine.get("cores")).append(" cores, ")
                .append(machine.get("memory_gib")).append(" GiB; ").append(machine.get("jdk")).append("; load at start ")
                .append(machine.get("load_at_start")).append(".\n\nOptions: `").append(doc.get("options")).append("`\n");
        table(sb, results, "unit", "Unit cost of a turn (start, one token, end; 50 concurrent)", List.of(
                col("store", r -> r.get("store")), col("turns", r -> r.get("completed")), col("errors", r -> r.get("errors")),
                col("turns/s", r -> r.get("turns_per_s")), col("server CPU µs/turn", r -> r.get("server_cpu_us_per_turn")),
                col("start p50 ms", r -> p(r, "chat_start_latency", "p50_ms")), col("load", Report::load)));
        table(sb, results, "burst", "Burst: N turns started at one instant", List.of(
                col("N", r -> r.get("n")), col("label", Report::labelAndStore), col("done", r -> r.get("completion_rate")),
                col("errors", r -> r.get("errors")),
                col("start p50/p99 ms", r -> p(r, "chat_start_latency", "p50_ms") + " / " + p(r, "chat_start_latency", "p99_ms")),
                col("TTFT overhead p50/p95/p99/max ms", r -> p(r, "ttft_overhead", "p50_ms") + " / "
                        + p(r, "ttft_overhead", "p95_ms") + " / " + p(r, "ttft_overhead", "p99_ms") + " / " + p(r, "ttft_overhead", "max_ms")),
                col("relay p50/p99/max ms", r -> p(r, "relay_delay", "p50_ms") + " / " + p(r, "relay_delay", "p99_ms")
                        + " / " + p(r, "relay_delay", "max_ms")),
                col("turn p50/max s", r -> sec(p(r, "turn_time", "p50_ms")) + " / " + sec(p(r, "turn_time", "max_ms"))),
                col("server CPU s", r -> p(r, "cpu", "server_cpu_s")),
                col("µs/turn all-in", r -> r.get("server_cpu_us_per_turn_all_in")),
                col("µs/token net", r -> r.get("server_cpu_us_per_token_net")),
                col("RSS peak MiB", r -> r.get("server_rss_peak_mib")), col("threads", r -> r.get("server_threads_peak")),
                col("client / provider CPU s", r -> p(r, "cpu", "client_cpu_s") + " / " + p(r, "cpu", "provider_cpu_s")),
                col("load", Report::load)));
        table(sb, results, "flood", "Flood: N unpaced turns at once (raw relay throughput)", List.of(
                col("N", r -> r.get("n")), col("label", Report::labelAndStore), col("done", r -> r.get("completed")),
                col("errors", r -> r.get("errors")), col("tokens", r -> r.get("tokens_received")),
                col("wall s", r -> r.get("wall_to_last_turn_s")), col("tokens/s", r -> r.get("tokens_per_s")),
                col("server CPU s", r -> p(r, "cpu", "server_cpu_s")),
                col("server µs/token", r -> r.get("server_cpu_us_per_token")),
                col("journal share of server CPU", r -> r.get("journal_share_of_server_cpu")),
                col("client / provider CPU s", r -> p(r, "cpu", "client_cpu_s") + " / " + p(r, "cpu", "provider_cpu_s")),
                col("load", Report::load)));
        table(sb, results, "sustained", "Sustained: M concurrent paced replies, new turns replacing finished ones", List.of(
                col("M", r -> r.get("m")), col("label", Report::labelAndStore), col("window s", r -> r.get("window_s")), col("turns done", r -> r.get("completed")),
                col("errors", r -> r.get("errors")), col("tokens/s", r -> r.get("tokens_per_s")),
                col("relay p50/p99/p99.9/max ms", r -> p(r, "relay_delay", "p50_ms") + " / " + p(r, "relay_delay", "p99_ms")
                        + " / " + p(r, "relay_delay", "p999_ms") + " / " + p(r, "relay_delay", "max_ms")),
                col("TTFT overhead p50/p99 ms", r -> p(r, "ttft_overhead", "p50_ms") + " / " + p(r, "ttft_overhead", "p99_ms")),
                col("server cores", r -> p(r, "cpu", "server_cores")),
                col("server µs/token all-in", r -> r.get("server_cpu_us_per_token_all_in")),
                col("journal share of server CPU", r -> r.get("journal_share_of_server_cpu")),
                col("RSS peak MiB", r -> r.get("server_rss_peak_mib")),
                col("client / provider CPU s", r -> p(r, "cpu", "client_cpu_s") + " / " + p(r, "cpu", "provider_cpu_s")),
                col("load", Report::load)));
        table(sb, results, "idle", "Idle: K open session-channel subscribers", List.of(
                col("K", r -> r.get("k")), col("store", r -> r.get("store")), col("subscribed", r -> r.get("subscribed")),
                col("RSS before/after MiB", r -> r.get("server_rss_before_mib") + " / " + r.get("server_rss_after_mib")),
                col("heap before/after MiB", r -> r.get("server_heap_before_mib") + " / " + r.get("server_heap_after_mib")),
                col("RSS KiB/conn", r -> r.get("rss_per_connection_kib")),
                col("heap KiB/conn", r -> r.get("heap_per_connection_kib")),
                col("threads", r -> r.get("server_threads")), col("load", Report::load)));
        table(sb, results, "replay", "Replay: a new subscriber reads a finished turn", List.of(
                col("events", r -> r.get("events")), col("store", r -> r.get("store")), col("frames", r -> r.get("frames_received")),
                col("first ms", r -> r.get("first_ms")), col("median ms", r -> r.get("median_ms")),
                col("min ms", r -> r.get("min_ms")), col("all ms", r -> r.get("all_ms")), col("load", Report::load)));
        table(sb, results, "wire", "Wire: one loopback hop of paced token-sized messages (one writer thread, one selector reader)",
                List.of(col("streams", r -> r.get("streams")), col("offered tokens/s", r -> r.get("offered_tokens_per_s")),
                        col("tokens/s", r -> r.get("tokens_per_s")),
                        col("delay p50/p99/max ms", r -> p(r, "relay_delay", "p50_ms") + " / " + p(r, "relay_delay", "p99_ms")
                                + " / " + p(r, "relay_delay", "max_ms")),
                        col("CPU µs/token, both ends", r -> r.get("cpu_us_per_token_one_hop")), col("load", Report::load)));
        postgresql(sb, results);
        overFloor(sb, results);
        return sb.toString();
    }

    /** Where PostgreSQL's cost went in the runs on it (see BenchPostgres for what each counter covers). */
    private static void postgresql(StringBuilder sb, List<Map<String, Object>> results) {
        List<Map<String, Object>> onPostgres = results.stream().filter(r -> r.get("postgresql") != null).toList();
        table(sb, onPostgres, null, "PostgreSQL's side (commits and rows: the run's database; WAL: the cluster's;"
                + " CPU: every postgres process on the machine)", List.of(
                col("run", r -> r.get("scenario") + " " + (r.containsKey("n") ? r.get("n") : "m" + r.get("m"))),
                col("commits", r -> p(r, "postgresql", "commits")), col("commits/s", r -> p(r, "postgresql", "commits_per_s")),
                col("rollbacks", r -> p(r, "postgresql", "rollbacks")),
                col("rows written", r -> p(r, "postgresql", "rows_written")),
                col("rows/commit", r -> p(r, "postgresql", "rows_per_commit")),
                col("WAL MiB", r -> p(r, "postgresql", "wal_mib")),
                col("WAL bytes/token", r -> p(r, "postgresql", "wal_bytes_per_token")),
                col("PostgreSQL CPU s", r -> p(r, "postgresql", "postgres_cpu_s")),
                col("server CPU s", r -> p(r, "cpu", "server_cpu_s"))));
    }

    /** A Tether run's label with its store ({@code tether sqlite}); the floor's is just {@code floor}. */
    private static Object labelAndStore(Map<String, Object> r) {
        return r.containsKey("store") ? r.get("label") + " " + r.get("store") : r.get("label");
    }

    /**
     * Tether beside the floor (the same load with no server, see Target): what the server adds, as
     * differences and ratios. Uses the first shipped and the first floor result of each shape.
     */
    private static void overFloor(StringBuilder sb, List<Map<String, Object>> results) {
        StringBuilder rows = new StringBuilder();
        for (Map<String, Object> floor : results) {
            if (!"floor".equals(floor.get("label"))) {
                continue;
            }
            // Tether's runs of the same shape: its bursts, and sustained runs (labelled m<M>); the first on each store.
            Map<Object, Map<String, Object>> byStore = new java.util.LinkedHashMap<>();
            results.stream()
                    .filter(r -> r.get("scenario").equals(floor.get("scenario")) && (Scenarios.TETHER.equals(r.get("label"))
                            || String.valueOf(r.get("label")).startsWith("m")))
                    .filter(r -> Objects.equals(r.get("n"), floor.get("n")) && Objects.equals(r.get("m"), floor.get("m")))
                    .forEach(r -> byStore.putIfAbsent(r.get("store"), r));
            String shape = floor.get("scenario").equals("burst") ? "burst " + floor.get("n") : "sustained " + floor.get("m");
            byStore.forEach((store, tether) -> overFloorRow(rows, store == null ? shape : shape + " " + store, tether, floor));
        }
        if (!rows.isEmpty()) {
            sb.append("\n## Tether over the floor (the same load with no server between client and provider)\n\n")
                    .append("| shape | TTFT overhead p50 ms: Tether / floor (×) | TTFT overhead p99 ms | relay p99 ms")
                    .append(" | tokens/s (sustained) |\n|---|---|---|---|---|\n").append(rows);
        }
    }

    private static void overFloorRow(StringBuilder rows, String shape, Map<String, Object> tether, Map<String, Object> floor) {
        rows.append("| ").append(shape)
                .append(" | ").append(versus(tether, floor, "ttft_overhead", "p50_ms"))
                .append(" | ").append(versus(tether, floor, "ttft_overhead", "p99_ms"))
                .append(" | ").append(versus(tether, floor, "relay_delay", "p99_ms"))
                .append(" | ").append(tether.getOrDefault("tokens_per_s", "–")).append(" / ")
                .append(floor.getOrDefault("tokens_per_s", "–")).append(" |\n");
    }

    private static String versus(Map<String, Object> tether, Map<String, Object> floor, String group, String key) {
        Object t = p(tether, group, key);
        Object f = p(floor, group, key);
        if (t instanceof Number tn && f instanceof Number fn && fn.doubleValue() > 0) {
            return t + " / " + f + " (" + Math.round(tn.doubleValue() / fn.doubleValue() * 10) / 10.0 + "×)";
        }
        return t + " / " + f;
    }

    static String oneLine(Map<String, Object> r) {
        return r.get("scenario") + " " + labelAndStore(r) + " " + (r.containsKey("n") ? "n=" + r.get("n") + " " : "")
                + "done=" + r.getOrDefault("completed", r.getOrDefault("subscribed", r.get("frames_received")))
                + " errors=" + r.getOrDefault("errors", "{}")
                + (r.containsKey("ttft_overhead") ? " ttft_overhead=" + r.get("ttft_overhead") : "")
                + (r.containsKey("relay_delay") ? " relay=" + r.get("relay_delay") : "")
                + (r.containsKey("cpu") ? " cpu=" + r.get("cpu") : "")
                + (r.containsKey("postgresql") ? " postgresql=" + r.get("postgresql") : "")
                + (r.containsKey("median_ms") ? " median_ms=" + r.get("median_ms") : "")
                + (r.containsKey("rss_per_connection_kib") ? " rss_after_mib=" + r.get("server_rss_after_mib")
                        + " rss_kib/conn=" + r.get("rss_per_connection_kib") + " heap_kib/conn=" + r.get("heap_per_connection_kib") : "")
                + " load=" + load(r);
    }

    private record Col(String title, Function<Map<String, Object>, Object> value) {}

    private static Col col(String title, Function<Map<String, Object>, Object> value) {
        return new Col(title, value);
    }

    private static void table(StringBuilder sb, List<Map<String, Object>> results, String scenario, String title,
                              List<Col> cols) {
        List<Map<String, Object>> rows = scenario == null ? results
                : results.stream().filter(r -> r.get("scenario").equals(scenario)).toList();
        if (rows.isEmpty()) {
            return;
        }
        sb.append("\n## ").append(title).append("\n\n|");
        cols.forEach(c -> sb.append(' ').append(c.title).append(" |"));
        sb.append("\n|");
        cols.forEach(c -> sb.append("---|"));
        sb.append('\n');
        for (Map<String, Object> r : rows) {
            sb.append('|');
            for (Col c : cols) {
                Object v = c.value.apply(r);
                sb.append(' ').append(v == null ? "" : v.toString().replace("|", "/")).append(" |");
            }
            sb.append('\n');
        }
    }

    static Object p(Map<String, Object> r, String group, String key) {
        Object g = r.get(group);
        return g instanceof Map<?, ?> m && m.get(key) != null ? m.get(key) : "–";
    }

    private static Object sec(Object ms) {
        return ms instanceof Number n ? Math.round(n.doubleValue()) / 1000.0 : ms;
    }

    private static String load(Map<String, Object> r) {
        return r.get("load_before") + " → " + r.get("load_after");
    }
}
