package dev.tether.web.routes;

import dev.tether.config.Loopback;
import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import dev.tether.session.SessionReads;
import dev.tether.turn.LiveTurns;
import dev.tether.web.ApiError;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import dev.tether.web.WebWatch;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/models (with the upload limit, so the composer refuses a file that is too large before
 * sending it), /health and /metrics. The metrics page is not public: it answers a loopback peer
 * that came straight in (no proxy's forwarding header: a proxy on the same host makes every visitor
 * a loopback peer), and anyone else only with an admin's API token.
 */
record HealthRoutes(ModelCatalog models, SessionReads store, LiveTurns live, Instant startedAt, long uploadLimitBytes,
                    WebWatch watch) {
    private static final List<String> FORWARDING = List.of("X-Forwarded-For", "Forwarded", "X-Real-IP");

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
        if (!isDirectLoopback(ctx)) {
            Principal who = ctx.attribute(Requests.PRINCIPAL);
            if (who == null || who.ambient()) {
                throw new ApiError(401, "unauthenticated",
                        "The metrics answer on loopback, or to an admin's API token (Authorization: Bearer).");
            }
            if (!who.admin()) {
                throw new ApiError(403, "admin_only", "Only an administrator's token may read the metrics.");
            }
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(watch.scrape());
    }

    private static boolean isDirectLoopback(Context ctx) {
        return Loopback.isLoopback(ctx.ip()) && FORWARDING.stream().noneMatch(h -> ctx.header(h) != null);
    }

    private long uptime() {
        return Duration.between(startedAt, Instant.now()).toSeconds();
    }
}
