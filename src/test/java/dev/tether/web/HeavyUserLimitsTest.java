package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One user cannot fill the store for everyone: an import obeys the limits a send does (message
 * length, a budget per minute), and sends, uploads and imports stop at the user's quota
 * ({@code TETHER_QUOTA_BYTES}) with a 507 {@code quota_exceeded}.
 */
class HeavyUserLimitsTest {
    private static final ScriptedModel MODEL = ScriptedModel.autoReply("ok");

    @Test
    void anImportedMessageLongerThanASendMayIsRefusedAndNothingIsWritten() throws Exception {
        try (TestServer server = TestServer.with(MODEL)) { // default limits: 100,000 characters a message
            String huge = "x".repeat(19 * 1024 * 1024);
            TestServer.Response r = server.post("/api/session/import", Map.of("title", "Big",
                    "messages", List.of(Map.of("role", "user", "content", "hi"), Map.of("role", "assistant", "content", huge))));

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.json().path("code").asText()).isEqualTo("message_too_large");
            assertThat(r.json().path("error").asText()).contains("Message 2");
            assertThat(server.get("/api/sessions").json().path("sessions")).isEmpty();
        }
    }

    @Test
    void importsBeyondTheBudgetPerMinuteAreRefused() {
        try (TestServer server = TestServer.with(MODEL, Map.of("TETHER_IMPORTS_PER_MINUTE", "2"))) {
            Map<String, Object> file = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));
            assertThat(server.post("/api/session/import", file).status()).isEqualTo(200);
            assertThat(server.post("/api/session/import", file).status()).isEqualTo(200);

            TestServer.Response third = server.post("/api/session/import", file);
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.json().path("code").asText()).isEqualTo("rate_limited");
            assertThat(server.get("/api/sessions").json().path("sessions")).hasSize(2);
        }
    }

    @Test
    void sendsUploadsAndImportsStopAtTheQuotaUntilRoomIsMade() throws Exception {
        try (TestServer server = TestServer.with(MODEL, Map.of("TETHER_QUOTA_BYTES", "5000"))) {
            UserClient client = UserClient.anonymous(server.baseUrl());
            TestServer.Response imported = server.post("/api/session/import", Map.of("title", "Notes",
                    "messages", List.of(Map.of("role", "user", "content", "é".repeat(2000))))); // 4,000 bytes
            assertThat(imported.status()).isEqualTo(200);
            String kept = imported.json().path("session").path("session_id").asText();
            String session = server.newSession();

            TestServer.Response send = server.start(Map.of("session_id", session, "message", "y".repeat(1001)));
            assertThat(send.status()).isEqualTo(507);
            assertThat(send.json().path("code").asText()).isEqualTo("quota_exceeded");
            assertThat(send.json().path("quota_bytes").asLong()).isEqualTo(5000);
            HttpResponse<String> upload = client.send(Multipart.upload(server.baseUrl(), session, "a.txt", "text/plain",
                    new byte[1001]));
            assertThat(upload.statusCode()).isEqualTo(507);
            assertThat(new ObjectMapper().readTree(upload.body()).path("code").asText()).isEqualTo("quota_exceeded");
            TestServer.Response again = server.post("/api/session/import", Map.of("messages",
                    List.of(Map.of("role", "user", "content", "z".repeat(1001)))));
            assertThat(again.status()).isEqualTo(507);
            assertThat(server.messages(session)).isEmpty();

            assertThat(server.post("/api/session/delete", Map.of("session_id", kept)).status()).isEqualTo(200);
            assertThat(server.start(Map.of("session_id", session, "message", "y".repeat(1001))).status()).isEqualTo(200);
            server.awaitIdle(session);
        }
    }
}
