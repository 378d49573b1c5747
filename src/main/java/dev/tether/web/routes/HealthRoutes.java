package dev.tether.web.routes;

import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import dev.tether.session.SessionReads;
import dev.tether.turn.LiveTurns;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/models (with the upload limit, so the composer refuses a file that is too large before
 * sending it), /health and /metrics.
 */
record HealthRoutes(ModelCatalog models, SessionReads store, LiveTurns live, Instant startedAt, long uploadLimitBytes) {

    void models(Context ctx) {
        List<Map<String, Object>> list = models.models().stream().map(HealthRoutes::model).toList();
        ctx.json(Map.of("models", list, "default", models.defaultModel(), "upload_limit_bytes", uploadLimitBytes));
    }

    private static Map<String, Object> model(ModelInfo m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("provider", m.provider());
        out.put("label", m.label());
        if (m.demo()) {
            out.put("demo", true);
        }
        return out;
    }

    void health(Context ctx) {
        SessionReads.Counts counts = store.counts();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("sessions", counts.sessions());
        out.put("active_streams", live.size());
        out.put("active_turns", counts.runningTurns());
        out.put("uptime_seconds", uptime());
        out.put("store", store.kind());
        ctx.json(out);
    }

    void metrics(Context ctx) {
        SessionReads.Counts counts = store.counts();
        Runtime rt = Runtime.getRuntime();
        StringBuilder sb = new StringBuilder();
        gauge(sb, "tether_sessions", "Sessions stored.", counts.sessions());
        gauge(sb, "tether_running_turns", "Turns the store holds as running.", counts.runningTurns());
        gauge(sb, "tether_live_turns", "Turns running in this process.", live.size());
        gauge(sb, "tether_uptime_seconds", "Seconds since start.", uptime());
        gauge(sb, "jvm_heap_used_bytes", "Heap in use.", rt.totalMemory() - rt.freeMemory());
        gauge(sb, "jvm_threads_live", "Live platform threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(sb.toString());
    }

    private long uptime() {
        return Duration.between(startedAt, Instant.now()).toSeconds();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(value).append('\n');
    }
}
