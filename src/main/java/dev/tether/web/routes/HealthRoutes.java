package dev.tether.web.routes;

import dev.tether.model.ModelInfo;
import dev.tether.session.SessionReads;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/models, /health and /metrics. */
public final class HealthRoutes {
    private final Api api;

    public HealthRoutes(Api api) {
        this.api = api;
    }

    public void register(RoutesConfig r) {
        r.get("/api/models", this::models);
        r.get("/health", this::health);
        r.get("/metrics", this::metrics);
    }

    private void models(Context ctx) {
        List<Map<String, Object>> models = api.models().models().stream().map(HealthRoutes::model).toList();
        ctx.json(Map.of("models", models, "default", api.models().defaultModel()));
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

    private void health(Context ctx) {
        SessionReads.Counts counts = api.store().counts();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("sessions", counts.sessions());
        out.put("active_streams", api.live().size());
        out.put("active_turns", counts.runningTurns());
        out.put("uptime_seconds", uptime());
        out.put("store", api.store().kind());
        ctx.json(out);
    }

    private void metrics(Context ctx) {
        SessionReads.Counts counts = api.store().counts();
        Runtime rt = Runtime.getRuntime();
        StringBuilder sb = new StringBuilder();
        gauge(sb, "tether_sessions", "Sessions stored.", counts.sessions());
        gauge(sb, "tether_running_turns", "Turns the store holds as running.", counts.runningTurns());
        gauge(sb, "tether_live_turns", "Turns running in this process.", api.live().size());
        gauge(sb, "tether_uptime_seconds", "Seconds since start.", uptime());
        gauge(sb, "jvm_heap_used_bytes", "Heap in use.", rt.totalMemory() - rt.freeMemory());
        gauge(sb, "jvm_threads_live", "Live platform threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(sb.toString());
    }

    private long uptime() {
        return Duration.between(api.startedAt(), Instant.now()).toSeconds();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(value).append('\n');
    }
}
