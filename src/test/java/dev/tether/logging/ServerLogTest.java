package dev.tether.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.FakeOpenAiServer;
import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import dev.tether.support.UserClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log of a real server process: a line per request and per turn end, with their ids, in text
 * or JSON; and none of the secrets and words it was given (password, provider API key, API token,
 * login cookie, message text, the reply's text) anywhere in it.
 */
class ServerLogTest {
    static final String PASSWORD = "Pa55word-that-must-not-leak";
    static final String API_KEY = "sk-key-that-must-not-leak-4711";
    static final String MESSAGE = "a message body that must not leak";
    static final String REPLY = "Zyzzyva-reply-text";
    static final ObjectMapper JSON = new ObjectMapper();
    static FakeOpenAiServer provider;

    @BeforeAll
    static void startProvider() {
        provider = FakeOpenAiServer.start();
        provider.script(s -> s.tokens(REPLY, " more").models("fake-model"));
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @ParameterizedTest(name = "TETHER_LOG_FORMAT={0}")
    @ValueSource(strings = {"text", "json"})
    void linesPerRequestAndTurnWithoutAnySecret(String format, @TempDir Path dir) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Map<String, String> env = Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_PASSWORD", PASSWORD,
                "TETHER_OPENAI_BASE_URL", provider.baseUrl(), "TETHER_OPENAI_API_KEY", API_KEY,
                "TETHER_LOG_LEVEL", "info", "TETHER_LOG_FORMAT", format);
        String cookie;
        String token;
        String turn;
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), env, List.of(), lines::add)) {
            UserClient admin = UserClient.login(server.baseUrl(), "admin", PASSWORD);
            cookie = admin.headers().get("Cookie");
            UserClient.anonymous(server.baseUrl()).post("/api/auth/login", Map.of("name", "admin", "password",
                    PASSWORD + "-wrong"));
            token = admin.post("/api/tokens", Map.of("name", "script")).json().path("secret").asText();
            UserClient script = UserClient.withToken(server.baseUrl(), token);
            String session = script.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
            turn = script.post("/api/chat/start", Map.of("session_id", session, "message", MESSAGE))
                    .json().path("stream_id").asText();
            try (SseTestClient.Connection stream = SseTestClient.open(server.baseUrl() + "/api/chat/stream?stream_id="
                    + turn + "&after_seq=0", script.headers())) {
                assertThat(stream.awaitEnd(Duration.ofSeconds(30))).isTrue();
                assertThat(stream.text()).contains(REPLY);
            }
            script.get("/api/session?messages=1&session_id=" + session);
        }
        assertThat(cookie).isNotBlank();
        String log = String.join("\n", lines);
        assertThat(log).doesNotContain(PASSWORD, API_KEY, MESSAGE, REPLY, token, cookie.replace("tether_login=", ""));

        List<String> requests = lines.stream().filter(l -> l.contains("request") && l.contains("/api/chat/start")).toList();
        assertThat(requests).hasSize(1);
        List<String> ends = lines.stream().filter(l -> l.contains("turn ended")).toList();
        assertThat(ends).hasSize(1);
        if (format.equals("json")) {
            JsonNode request = JSON.readTree(requests.getFirst());
            assertThat(request.path("method").asText()).isEqualTo("POST");
            assertThat(request.path("status").asInt()).isEqualTo(200);
            assertThat(request.path("request_id").asText()).isNotBlank();
            assertThat(request.has("duration_ms")).isTrue();
            JsonNode end = JSON.readTree(ends.getFirst());
            assertThat(end.path("turn_id").asText()).isEqualTo(turn);
            assertThat(end.path("state").asText()).isEqualTo("completed");
            assertThat(end.path("events").asLong()).isPositive();
            assertThat(lines.stream().filter(l -> l.startsWith("{")))
                    .allSatisfy(l -> assertThat(JSON.readTree(l).path("level").asText()).isNotBlank());
        } else {
            assertThat(requests.getFirst()).contains("method=POST", "status=200", "request_id=", "duration_ms=");
            assertThat(ends.getFirst()).contains("turn_id=" + turn, "state=completed", "events=");
        }
        assertThat(lines.stream().filter(l -> l.contains("/api/chat/stream")))
                .as("the query string is not logged").noneMatch(l -> l.contains("stream_id") || l.contains("after_seq"));
    }
}
