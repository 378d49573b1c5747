package dev.tether.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.Tether;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ChatModel;
import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A real Tether on a random port with a fresh store ({@link TestStore}: a SQLite file in a new data
 * dir, or a new PostgreSQL database), plus a small JSON client for it.
 * The model is whatever the test passes (a scripted double, the fake OpenAI server, the demo).
 */
public final class TestServer implements AutoCloseable {
    public static final String MODEL = "test-model";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final TestStore store;
    private final boolean ownsStore;
    private final TetherConfig config;
    private final ModelCatalog catalog;
    private Tether tether;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A server on {@code store}; when {@code ownsStore}, closing the server drops the store too. */
    private TestServer(Path dataDir, TestStore store, boolean ownsStore, Map<String, String> env, ModelCatalog catalog) {
        this.dataDir = dataDir;
        this.store = store;
        this.ownsStore = ownsStore;
        Map<String, String> settings = new HashMap<>(env);
        settings.put("TETHER_DATA_DIR", dataDir.toString());
        settings.putAll(store.settings());
        settings.putIfAbsent("TETHER_PORT", "0");
        settings.putIfAbsent("TETHER_HEARTBEAT_MS", "500");
        settings.putIfAbsent("TETHER_DEMO_TOKEN_MS", "2");
        // Stress tests start thousands of turns as one user; the per-user limits have their own tests.
        settings.putIfAbsent("TETHER_TURNS_PER_MINUTE", "100000");
        settings.putIfAbsent("TETHER_UPLOADS_PER_MINUTE", "100000");
        settings.putIfAbsent("TETHER_IMPORTS_PER_MINUTE", "100000");
        settings.putIfAbsent("TETHER_STREAMS_PER_USER", "100000");
        settings.putIfAbsent("TETHER_CONNECTIONS_PER_ADDRESS", "100000");
        this.config = new ConfigLoader(settings).load();
        this.catalog = catalog;
        try {
            this.tether = Tether.start(config, catalog);
        } catch (RuntimeException e) {
            if (ownsStore) {
                store.close();
            }
            throw e;
        }
    }

    /** A server whose only model (id {@link #MODEL}) is {@code model}. */
    public static TestServer with(ChatModel model) {
        return with(model, Map.of());
    }

    public static TestServer with(ChatModel model, Map<String, String> env) {
        ModelCatalog catalog = new ModelCatalog(List.of(new ModelCatalog.Entry(
                new ModelInfo(MODEL, "test", "Test model", false), model)), MODEL);
        Path dir = tempDir();
        return new TestServer(dir, TestStore.chosen(dir), true, env, catalog);
    }

    /** A server with the configured catalog (demo model, or a provider from {@code env}). */
    public static TestServer withConfiguredModels(Map<String, String> env) {
        Path dir = tempDir();
        return new TestServer(dir, TestStore.chosen(dir), true, env, configuredModels(dir, env));
    }

    /**
     * As {@link #withConfiguredModels(Map)}, on a data dir and store the caller made and closes
     * (they outlive this server, e.g. for checks after it stopped).
     */
    public static TestServer withConfiguredModels(Path dataDir, TestStore store, Map<String, String> env) {
        return new TestServer(dataDir, store, false, env, configuredModels(dataDir, env));
    }

    private static ModelCatalog configuredModels(Path dir, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("TETHER_DATA_DIR", dir.toString());
        settings.putIfAbsent("TETHER_DEMO_TOKEN_MS", "2");
        return ModelCatalog.from(new ConfigLoader(settings).load());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tether-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (as a clean shutdown) and starts a new one on the same data dir. */
    public void restart() {
        tether.close();
        tether = Tether.start(config.withPort(0), catalog);
    }

    /**
     * As {@link #restart()}, but listening on the same port again, so pages that are open reconnect
     * by themselves (as they would to a restarted server).
     */
    public void restartOnSamePort() {
        int port = tether.port();
        tether.close();
        tether = Tether.start(config.withPort(port), catalog);
    }

    public Tether tether() {
        return tether;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where the server keeps its sessions, for tests that read the database directly. */
    public TestStore store() {
        return store;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + tether.port();
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Response post(String path, Map<String, ?> body) {
        try {
            return post(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a session and returns its id. */
    public String newSession() {
        return post("/api/session/new", "{}").json().path("session").path("session_id").asText();
    }

    /** Starts a turn with a plain message and returns the stream id (asserting a 200). */
    public String startTurn(String sessionId, String message) {
        Response r = post("/api/chat/start", Map.of("session_id", sessionId, "message", message));
        if (r.status() != 200) {
            throw new AssertionError("chat/start answered " + r.status() + ": " + r.body());
        }
        return r.json().path("stream_id").asText();
    }

    /** Starts a turn with a body of the test's choosing; any status. */
    public Response start(Map<String, ?> body) {
        return post("/api/chat/start", body);
    }

    /** The transcript of a session, oldest first. */
    public List<JsonNode> messages(String sessionId) {
        List<JsonNode> out = new ArrayList<>();
        session(sessionId).path("messages").forEach(out::add);
        return out;
    }

    /** The whole journal of a turn read over SSE from the start, up to the server closing the stream. */
    public List<SseTestClient.Frame> replay(String turnId) {
        try (SseTestClient.Connection c = stream("/api/chat/stream?replay=1&stream_id=" + turnId, Map.of())) {
            if (c.status() != 200 || !c.awaitEnd(Duration.ofSeconds(30))) {
                throw new AssertionError("replay of " + turnId + " did not end (status " + c.status() + ")");
            }
            return c.events();
        }
    }

    /** Waits until the session has no active turn (polling its view, as a client would). */
    public void awaitIdle(String sessionId) {
        Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .atMost(Duration.ofSeconds(10))
                .until(() -> !session(sessionId).path("is_streaming").asBoolean());
    }

    public JsonNode health() {
        return get("/health").json();
    }

    public JsonNode session(String sessionId) {
        return get("/api/session?messages=1&session_id=" + sessionId).json().path("session");
    }

    public SseTestClient.Connection stream(String query, Map<String, String> headers) {
        return SseTestClient.open(baseUrl() + query, headers);
    }

    @Override
    public void close() {
        try {
            tether.close();
        } finally {
            if (ownsStore) {
                store.close();
            }
        }
    }

    /** An HTTP answer. */
    public record Response(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
