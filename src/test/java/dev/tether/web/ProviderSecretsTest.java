package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.FakeOpenAiServer;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider 401 that echoes the Authorization header: the operator's key reaches no user, not in
 * the live error, the stored transcript or an export; the provider's address only admins see.
 */
class ProviderSecretsTest {
    static final String PASSWORD = "correct horse battery";
    static final String KEY = "sk-operator-secret-0123456789abcdef";
    static FakeOpenAiServer provider;
    static TestServer server;

    @BeforeAll
    static void start() {
        provider = FakeOpenAiServer.start();
        server = TestServer.withConfiguredModels(Map.of(
                "TETHER_OPENAI_BASE_URL", provider.baseUrl(),
                "TETHER_OPENAI_MODELS", "fake-model",
                "TETHER_OPENAI_API_KEY", KEY,
                "TETHER_AUTH", "on", "TETHER_ADMIN_USER", "root", "TETHER_ADMIN_PASSWORD", PASSWORD));
        provider.script(s -> s.httpError(401, "Invalid API key: Bearer " + KEY + " (see " + provider.baseUrl() + ")"));
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.close();
    }

    @Test
    void aUserSeesNeitherTheKeyNorTheProviderAddress() {
        UserClient root = UserClient.login(server.baseUrl(), "root", PASSWORD);
        assertThat(root.post("/api/admin/users", Map.of("name", "ann", "password", PASSWORD)).status()).isEqualTo(200);
        UserClient ann = UserClient.login(server.baseUrl(), "ann", PASSWORD);

        String everything = failedTurn(ann);

        assertThat(everything).contains("refused the credentials").contains("Invalid API key")
                .doesNotContain(KEY).doesNotContain(provider.baseUrl()).doesNotContain("127.0.0.1:" + provider.port());
    }

    @Test
    void anAdminSeesTheAddressButNotTheKey() {
        UserClient root = UserClient.login(server.baseUrl(), "root", PASSWORD);

        String everything = failedTurn(root);

        assertThat(everything).contains("Invalid API key").contains(provider.baseUrl()).doesNotContain(KEY);
    }

    /** Runs a turn that fails; returns its live error, the transcript and both exports, joined. */
    private static String failedTurn(UserClient user) {
        String session = user.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
        String turn = user.post("/api/chat/start", Map.of("session_id", session, "message", "hello"))
                .json().path("stream_id").asText();
        StringBuilder all = new StringBuilder();
        try (SseTestClient.Connection stream = SseTestClient.open(
                server.baseUrl() + "/api/chat/stream?stream_id=" + turn, user.headers())) {
            assertThat(stream.awaitEnd(Duration.ofSeconds(20))).isTrue();
            assertThat(stream.events()).anyMatch(e -> e.event().equals("apperror"));
            stream.events().forEach(e -> all.append(e.data()).append('\n'));
        }
        all.append(user.get("/api/session?messages=1&session_id=" + session).body()).append('\n');
        all.append(user.get("/api/session/export?format=json&session_id=" + session).body()).append('\n');
        all.append(user.get("/api/session/export?format=md&session_id=" + session).body());
        return all.toString();
    }
}
