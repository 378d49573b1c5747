package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-user limits answer 429 with Retry-After or 413, and write nothing. */
class RequestLimitsTest {
    TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void turnsPerMinuteAreLimited() {
        server = TestServer.with(ScriptedModel.autoReply("ok"), Map.of("TETHER_TURNS_PER_MINUTE", "2"));
        String session = server.newSession();
        server.startTurn(session, "one");
        awaitIdle(session);
        server.startTurn(session, "two");
        awaitIdle(session);
        int before = server.session(session).path("message_count").asInt();
        HttpResponse<String> r = UserClient.anonymous(server.baseUrl())
                .raw("POST", "/api/chat/start", Map.of("session_id", session, "message", "three"));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(server.session(session).path("message_count").asInt()).isEqualTo(before);
    }

    @Test
    void uploadsOverTheLimitAre413AndLeaveNoFile() throws Exception {
        server = TestServer.with(ScriptedModel.autoReply("ok"), Map.of("TETHER_MAX_UPLOAD_BYTES", "1000"));
        String session = server.newSession();
        HttpResponse<String> r = UserClient.anonymous(server.baseUrl())
                .send(Multipart.upload(server.baseUrl(), session, "big.bin", "application/octet-stream", new byte[5000]));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("file_too_large");
        Path dir = server.dataDir().resolve("attachments");
        try (var files = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void openLiveConnectionsPerUserAreLimited() {
        server = TestServer.with(ScriptedModel.autoReply("ok"), Map.of("TETHER_STREAMS_PER_USER", "2"));
        try (SseTestClient.Connection a = server.stream("/api/sessions/events", Map.of());
             SseTestClient.Connection b = server.stream("/api/sessions/events", Map.of());
             SseTestClient.Connection c = server.stream("/api/sessions/events", Map.of())) {
            assertThat(a.status()).isEqualTo(200);
            assertThat(b.status()).isEqualTo(200);
            assertThat(c.status()).isEqualTo(429);
        }
    }

    private void awaitIdle(String session) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !server.session(session).path("is_streaming").asBoolean());
    }
}
