package dev.tether.tool;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one MCP server, supervised: it connects on first demand (or at once, if asked),
 * and when the connection is lost (a stdio server's process exits, an HTTP server stops answering)
 * it connects again after a backoff that doubles up to a minute and resets once a connection works.
 *
 * <p>Threading: any thread may call; the connection and its state are guarded by {@code this}, and
 * connecting happens on a virtual thread of its own. Guarded by {@code this}: {@code client},
 * {@code tools}, {@code state}, {@code error}, {@code connecting}, {@code backoff}, {@code closed}.
 */
final class McpServerLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpServerLink.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final McpServerSpec spec;
    private final McpConfig config;
    private final List<Tool> declared;

    private McpAsyncClient client;
    private List<Tool> tools = List.of();
    private String state = "starting";
    private String error;
    private CompletableFuture<McpAsyncClient> connecting;
    private Duration backoff = FIRST_BACKOFF;
    private boolean closed;

    McpServerLink(McpServerSpec spec, McpConfig config) {
        this(spec, config, null);
    }

    /**
     * A server whose tools are known before it runs ({@code declared}, the built-in one's): listing
     * them starts nothing, so a chat that never calls one never starts the server.
     */
    McpServerLink(McpServerSpec spec, McpConfig config, List<McpSchema.Tool> declared) {
        this.spec = spec;
        this.config = config;
        this.declared = declared == null ? null : declared.stream().map(this::tool).toList();
    }

    String name() {
        return spec.name();
    }

    synchronized ServerStatus status() {
        return new ServerStatus(spec.name(), spec.transport().wire(), state, error);
    }

    /** The server's tools, connecting first if needed and waiting at most {@code wait}; empty if it is not ready. */
    List<Tool> tools(Duration wait) {
        if (declared != null) {
            return declared;
        }
        ready(wait);
        synchronized (this) {
            return tools;
        }
    }

    /** The connected client, connecting if needed and waiting at most {@code wait}; null if not ready by then. */
    McpAsyncClient ready(Duration wait) {
        CompletableFuture<McpAsyncClient> pending = connect();
        try {
            return pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Starts connecting unless connected or already connecting; the future completes with the client (null if it failed). */
    synchronized CompletableFuture<McpAsyncClient> connect() {
        if (client != null) {
            return CompletableFuture.completedFuture(client);
        }
        if (connecting == null && !closed) {
            CompletableFuture<McpAsyncClient> f = new CompletableFuture<>();
            connecting = f;
            state = "starting";
            Thread.ofVirtual().name("mcp-" + spec.name()).start(() -> f.complete(open()));
        }
        return connecting != null ? connecting : CompletableFuture.completedFuture(null);
    }

    /** Opens a connection, lists the tools, and records the outcome; null when it failed. */
    private McpAsyncClient open() {
        McpAsyncClient c = null;
        try {
            McpClientTransport transport = transport();
            c = McpClient.async(transport).requestTimeout(REQUEST_TIMEOUT)
                    .initializationTimeout(Duration.ofSeconds(60))
                    .clientInfo(new McpSchema.Implementation("tether", "1")).build();
            c.initialize().block();
            List<Tool> listed = list(c);
            synchronized (this) {
                if (closed) {
                    c.close();
                    return null;
                }
                client = c;
                tools = listed;
                state = "ready";
                error = null;
                backoff = FIRST_BACKOFF;
                connecting = null;
            }
            if (transport instanceof StdioClientTransport stdio) {
                McpAsyncClient watched = c;
                Thread.ofVirtual().name("mcp-watch-" + spec.name()).start(() -> {
                    stdio.awaitForExit();
                    lost(watched, "the server process exited");
                });
            }
            LOG.info("MCP server {} ready with {} tools", spec.name(), listed.size());
            return c;
        } catch (RuntimeException e) {
            if (c != null) {
                c.close();
            }
            failed(describe(e));
            return null;
        }
    }

    private McpClientTransport transport() {
        return switch (spec.transport()) {
            case McpServerSpec.Stdio s -> {
                StdioClientTransport t = new StdioClientTransport(ServerParameters.builder(s.command()).args(s.args())
                        .env(s.env()).build(), McpJsonDefaults.getMapper(), 64 * 1024 * 1024);
                t.setStdErrorHandler(line -> LOG.debug("MCP server {}: {}", spec.name(), line));
                yield t;
            }
            case McpServerSpec.Http h -> {
                URI uri = URI.create(h.url());
                String base = uri.getScheme() + "://" + uri.getRawAuthority();
                String endpoint = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/mcp" : uri.getRawPath();
                yield HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint)
                        .connectTimeout(Duration.ofSeconds(10))
                        .requestBuilder(headers(h)).build();
            }
        };
    }

    private static java.net.http.HttpRequest.Builder headers(McpServerSpec.Http h) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder();
        h.headers().forEach(b::header);
        return b;
    }

    private List<Tool> list(McpAsyncClient c) {
        List<Tool> out = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = c.listTools(cursor).block();
            page.tools().forEach(t -> out.add(tool(t)));
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty() && out.size() < 10_000);
        return List.copyOf(out);
    }

    private Tool tool(McpSchema.Tool t) {
        boolean readOnly = t.annotations() != null && Boolean.TRUE.equals(t.annotations().readOnlyHint());
        return new Tool(spec.name(), t.name(), t.description() == null ? "" : t.description(),
                ToolJson.write(t.inputSchema()), readOnly, config.policyOf(spec.name(), t.name(), readOnly));
    }

    /** Forgets {@code dead} if it is still the connection, and connects again after the backoff. */
    void lost(McpAsyncClient dead, String why) {
        synchronized (this) {
            if (client != dead || closed) {
                return;
            }
            client = null;
        }
        dead.close();
        failed(why);
    }

    private void failed(String why) {
        Duration wait;
        synchronized (this) {
            state = "failed";
            error = why;
            connecting = null;
            if (closed) {
                return;
            }
            wait = backoff;
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        LOG.warn("MCP server {} failed ({}); connecting again in {} s", spec.name(), why, wait.toSeconds());
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS).execute(this::connect);
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof RuntimeException
                && t.getClass().getName().startsWith("reactor."))) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        McpAsyncClient c;
        synchronized (this) {
            closed = true;
            c = client;
            client = null;
        }
        if (c != null) {
            c.close();
        }
    }
}
