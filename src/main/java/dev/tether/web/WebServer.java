package dev.tether.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tether.config.CannotStart;
import dev.tether.config.TetherConfig;
import dev.tether.web.routes.Routes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Tether: Javalin on Jetty with virtual threads, JSON errors everywhere, the
 * routes, and the browser app. The only class that sets up Javalin.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** Bounds a write to a dead client; heartbeats (5 s) keep live streams well inside it. */
    static final long IDLE_TIMEOUT_MS = 20_000;
    /**
     * Connections waiting to be accepted. The JDK default of 50 overflowed when a few thousand tabs
     * reconnected at once (the kernel dropped their SYNs, and they retried after 1, 3, 7 s...).
     */
    static final int ACCEPT_QUEUE = 4096;
    /** Smallest pooled buffer: small enough that Jetty's 12-byte chunk headers are pooled (see {@link #connector}). */
    static final int SMALLEST_BUFFER = 8;
    /** Largest pooled buffer, as in Jetty's default pool; larger ones are allocated when asked for. */
    static final int LARGEST_POOLED_BUFFER = 64 * 1024;

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    /**
     * The JSON dialect of the wire: snake_case names, ISO-8601 instants, and a body is one JSON
     * value: anything after it ({@code {} {}}, {@code {...} garbage}) makes it malformed.
     */
    public static ObjectMapper wireMapper() {
        // One shared buffer pool instead of Jackson's per-thread one (a virtual thread per request
        // would otherwise allocate fresh buffers every time; see EventPayloads).
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    public static WebServer start(TetherConfig config, Routes routes) {
        long maxUpload = config.limits().maxUploadBytes();
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new SecureErrorPages()));
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector connector = bound(guarded(connector(server, http, config.host(), config.port()), config));
                routes.watch().serving(server, connector);
                return connector;
            });
            cfg.http.maxRequestSize = maxUpload + 1024 * 1024;
            cfg.http.prefer405over404 = true;
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(routes.json(), true));
            serveApp(cfg, StaticAssets.fromClasspath("web"));
            cfg.jetty.modifyServletContextHandler(context -> context.insertHandler(compression()));
            if (WebServer.class.getClassLoader().getResource("META-INF/resources/webjars") != null) {
                cfg.staticFiles.enableWebjars();
            }
            cfg.routes.before(RequestLog::begin);
            cfg.routes.before(routes.gate()::check);
            cfg.requestLogger.http(RequestLog::written);
            routes.register(cfg.routes);
            cfg.jetty.multipartConfig.maxFileSize(maxUpload + 1, io.javalin.config.SizeUnit.BYTES);
            cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(), e.extra()));
            cfg.routes.exception(dev.tether.account.Accounts.Busy.class, (e, ctx) ->
                    error(ctx, 503, "busy", e.getMessage(), Map.of("retry_after", 1)));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) ->
                    error(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage(), Map.of()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (Thread.currentThread().isInterrupted()) {
                    // The request was ended (its client left, or a logout ended its stream) while it
                    // waited for the store: no one reads the answer, and nothing went wrong.
                    LOG.debug("{} {} ended while it waited: {}", ctx.method(), ctx.path(), e.toString());
                    return;
                }
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal", "Tether hit an internal error; nothing was lost. Try again.", Map.of());
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "not_found", "No such route: " + ctx.method() + " " + ctx.path(), Map.of());
                }
            });
            cfg.routes.error(405, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) { // a route's own 405 keeps its hint
                    error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(), Map.of());
                }
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        return new WebServer(app);
    }

    /**
     * The browser app: its files under the versioned prefix, cached for a year; the pages, which
     * name that prefix, revalidated on every load; and the same files unversioned (the favicon, and
     * a page loaded before an upgrade) revalidated too.
     */
    private static void serveApp(io.javalin.config.JavalinConfig cfg, StaticAssets assets) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = assets.prefix();
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", StaticAssets.IMMUTABLE);
        });
        cfg.staticFiles.add(files -> {
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", StaticAssets.REVALIDATE);
        });
        for (String name : StaticAssets.PAGES) {
            String html = assets.page(name);
            io.javalin.http.Handler page = ctx -> ctx.header("Cache-Control", StaticAssets.REVALIDATE).html(html);
            cfg.routes.get("/" + name, page);
            if (name.equals("index.html")) {
                cfg.routes.get("/", page);
            }
        }
    }

    /**
     * gzip for the app's text files and the pages (never for the API: its streams are flushed per
     * event, and request bodies are never inflated, so an upload's size limit holds as sent).
     */
    static CompressionHandler compression() {
        CompressionHandler handler = new CompressionHandler();
        handler.putCompression(new GzipCompression());
        handler.putConfiguration("/*", CompressionConfig.builder()
                .compressIncludePath("/assets/*")
                .compressIncludePath("/webjars/*")
                .compressIncludePath("^/$") // a regex: "/" alone would be the servlet default, every path
                .compressIncludePath("*.html")
                .compressIncludeMethod("GET")
                .decompressExcludePath("/*")
                .build());
        return handler;
    }

    /**
     * Binds the connector's port now, while Javalin builds the server, so a port that is taken is
     * one line for the operator ({@link CannotStart}): failing inside Jetty's start, Javalin would
     * log its own error first and wrap the cause. Jetty's start then finds the channel open.
     */
    static ServerConnector bound(ServerConnector connector) {
        String where = connector.getHost() + ":" + connector.getPort();
        try {
            connector.open();
            return connector;
        } catch (IOException e) { // Jetty wraps the socket's BindException in "Failed to bind to ..."
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String reason = cause instanceof BindException && String.valueOf(cause.getMessage()).contains("in use")
                    ? "address already in use (set TETHER_PORT to a free port)"
                    : cause.getMessage() + " (check TETHER_HOST and TETHER_PORT)";
            throw new CannotStart("cannot listen on " + where + ": " + reason, e);
        }
    }

    /**
     * The one HTTP connector. Its buffer pool has a bucket per power of two: Jetty's default pool
     * puts every buffer up to 4 KiB in one bucket, so the chunk header it takes for each SSE write
     * was searched for among the aggregation buffers that every open stream holds (a scan over
     * thousands of busy entries per token), and each stream's 1 KiB buffer took 4 KiB.
     */
    static ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        ByteBufferPool buffers = new ArrayByteBufferPool.Quadratic(SMALLEST_BUFFER, LARGEST_POOLED_BUFFER,
                Integer.MAX_VALUE);
        ServerConnector connector = new ServerConnector(server, null, null, buffers, -1, -1,
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }

    /** The connector with its limits on slow and numerous connections ({@link ConnectionGuard}). */
    static ServerConnector guarded(ServerConnector connector, TetherConfig config) {
        TetherConfig.Limits limits = config.limits();
        connector.addBean(new ConnectionGuard(connector, limits.connectionsPerAddress(), limits.headerTimeout(),
                config.security()::isTrustedProxy));
        connector.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        return connector;
    }

    private static void error(Context ctx, int status, String code, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        body.putAll(extra);
        if (extra.get("retry_after") instanceof Number seconds) {
            ctx.header("Retry-After", String.valueOf(seconds.longValue()));
        }
        ctx.status(status).json(body);
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            default -> "http_" + status;
        };
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
