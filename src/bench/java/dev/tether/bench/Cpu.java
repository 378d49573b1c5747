package dev.tether.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds of the server, the provider and the load client between two moments, and the
 * server's PostgreSQL database's counters when it runs on one ({@code pg}, else null).
 */
record Cpu(double server, double provider, double client, long nanos, Map<String, Double> serverThreads,
           BenchPostgres.Mark pg) {

    /** {@code server} is null when the client talks to the provider directly (the floor). */
    static Cpu mark(ChildJvm server, ChildJvm provider) {
        return new Cpu(server == null ? 0 : server.stats().cpuSeconds(), provider.stats().cpuSeconds(),
                ProcStats.of(ProcessHandle.current().pid()).cpuSeconds(), System.nanoTime(),
                server == null ? Map.of() : ProcStats.byThread(server.pid()),
                server == null ? null : server.databaseMark());
    }

    double wallSeconds(Cpu later) {
        return (later.nanos - nanos) / 1e9;
    }

    double serverSeconds(Cpu later) {
        return later.server - server;
    }

    Map<String, Object> until(Cpu later) {
        double wall = wallSeconds(later);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_s", round(wall));
        out.put("server_cpu_s", round(later.server - server));
        out.put("server_cores", round((later.server - server) / wall));
        out.put("provider_cpu_s", round(later.provider - provider));
        out.put("client_cpu_s", round(later.client - client));
        out.put("server_cpu_by_thread_s", ProcStats.diff(serverThreads, later.serverThreads));
        return out;
    }

    /**
     * The share of the server's CPU between two moments spent by the threads that write the
     * journal: the journal's flusher, and the store's single writer ({@code *-write}), which commits
     * each batch. The writer also commits every start and end, so this is an upper bound, close
     * where tokens far outnumber turns (the flood: 1,000 journal rows per start and end). No server
     * without a journal exists to compare with: an event is shown only once durable.
     */
    double journalShare(Cpu later) {
        double all = serverSeconds(later);
        if (all <= 0) {
            return 0;
        }
        double journal = later.serverThreads.entrySet().stream()
                .filter(e -> e.getKey().equals("journal-flusher") || e.getKey().endsWith("-write"))
                .mapToDouble(e -> e.getValue() - serverThreads.getOrDefault(e.getKey(), 0.0))
                .sum();
        return round(journal / all);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
