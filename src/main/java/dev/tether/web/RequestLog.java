package dev.tether.web;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per request, written when its answer is done (for an SSE stream, when it closes):
 * method, path, status, duration and a request id. The id is the caller's {@code X-Request-Id} when
 * that is a plain token (a proxy's), else a new one; it is sent back in {@code X-Request-Id} and is
 * in the MDC meanwhile, so whatever else the request logs carries it. The query string is never
 * logged (it may hold a session id, a cursor or, from a careless client, a secret), nor any header,
 * cookie or body.
 *
 * <p>Threading: stateless; the MDC is the request thread's own.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);
    static final String ID = "request_id";
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestLog() {}

    /** First of all before-handlers: names the request. */
    static void begin(Context ctx) {
        String given = ctx.header("X-Request-Id");
        String id = given != null && PLAIN_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ID, id);
        ctx.header("X-Request-Id", id);
        MDC.put(ID, id);
    }

    /** Javalin's request logger: after the answer. */
    static void written(Context ctx, Float millis) {
        String id = ctx.attribute(ID);
        LOG.atInfo().addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("status", ctx.statusCode()).addKeyValue("duration_ms", Math.round(millis))
                .addKeyValue(ID, id).log("request");
        MDC.remove(ID);
    }
}
