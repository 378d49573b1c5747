package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SCENARIOS.md 35 (every route checks the caller may see that session / turn / attachment) and 11
 * (cancel from another user is refused with 404 and has no effect). User B gets 404, never 403,
 * for everything of user A's; an unauthenticated caller gets 401.
 */
class S35_EveryRouteChecksOwnerTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String PASSWORD = "correct horse battery";
    static final ScriptedModel MODEL = ScriptedModel.manual();
    static TestServer server;
    static UserClient alice;
    static UserClient bob;
    static String session;
    static String turn;
    static String queued;
    static String attachment;
    static ScriptedModel.Call running;

    @BeforeAll
    static void start() {
        server = TestServer.with(MODEL, Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_PASSWORD", PASSWORD));
        UserClient admin = UserClient.login(server.baseUrl(), "admin", PASSWORD);
        for (String name : List.of("alice", "bob")) {
            assertThat(admin.post("/api/admin/users", Map.of("name", name, "password", PASSWORD)).status()).isEqualTo(200);
        }
        alice = UserClient.login(server.baseUrl(), "alice", PASSWORD);
        bob = UserClient.login(server.baseUrl(), "bob", PASSWORD);
        session = alice.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
        HttpResponse<String> upload = alice.send(Multipart.upload(server.baseUrl(), session, "notes.txt", "text/plain",
                "secret notes".getBytes(StandardCharsets.UTF_8)));
        attachment = json(upload.body()).path("attachment_id").asText();
        turn = alice.post("/api/chat/start", Map.of("session_id", session, "message", "hello", "attachments",
                List.of(attachment))).json().path("stream_id").asText();
        running = MODEL.nextCall(WAIT);
        queued = alice.post("/api/chat/start", Map.of("session_id", session, "message", "later", "queue", true))
                .json().path("queued_id").asText();
    }

    @AfterAll
    static void stop() {
        running.finish();
        server.close();
    }

    static Stream<Arguments> foreignRequests() {
        return Stream.of(
                Arguments.of("GET", "/api/session?messages=1&session_id=SID", null),
                Arguments.of("GET", "/api/session/export?format=md&session_id=SID", null),
                Arguments.of("GET", "/api/session/export?format=json&session_id=SID", null),
                Arguments.of("GET", "/api/session/stream?session_id=SID", null),
                Arguments.of("GET", "/api/chat/stream?stream_id=TID", null),
                Arguments.of("GET", "/api/chat/stream/status?stream_id=TID", null),
                Arguments.of("GET", "/api/attachment?attachment_id=AID", null),
                Arguments.of("POST", "/api/chat/cancel", Map.of("stream_id", "TID")),
                Arguments.of("POST", "/api/chat/start", Map.of("session_id", "SID", "message", "hijack")),
                Arguments.of("POST", "/api/chat/start", Map.of("session_id", "SID", "message", "hijack", "queue", true)),
                Arguments.of("POST", "/api/chat/start", Map.of("session_id", "SID", "regenerate", true)),
                Arguments.of("POST", "/api/session/update", Map.of("session_id", "SID", "pinned", true)),
                Arguments.of("POST", "/api/session/rename", Map.of("session_id", "SID", "title", "mine now")),
                Arguments.of("POST", "/api/session/delete", Map.of("session_id", "SID")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("foreignRequests")
    void anotherUserGets404AndChangesNothing(String method, String path, Map<String, Object> body) {
        JsonNode before = aliceView();
        HttpResponse<String> r = bob.raw(method, ids(path), body == null ? null : ids(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(json(r.body()).path("error").asText()).isNotBlank();
        assertThat(aliceView()).isEqualTo(before);
        assertThat(running.isStopped()).as("11: the foreign cancel had no effect").isFalse();
    }

    @Test
    void s11_anotherUsersCancelIsRefusedAndTheTurnRunsOn() {
        assertThat(bob.post("/api/chat/cancel", Map.of("stream_id", turn)).status()).isEqualTo(404);
        assertThat(running.isStopped()).isFalse();
        assertThat(alice.get("/api/chat/stream/status?stream_id=" + turn).json().path("active").asBoolean()).isTrue();
    }

    @Test
    void anotherUsersAttachmentCannotBeSentAlong() {
        String own = bob.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
        TestServer.Response r = bob.post("/api/chat/start", Map.of("session_id", own, "message", "x",
                "attachments", List.of(attachment)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asText()).isEqualTo("unknown_attachment");
    }

    @Test
    void listsAndFeedsShowOnlyYourOwn() {
        assertThat(bob.get("/api/sessions?include_archived=1").json().path("sessions").findValuesAsText("session_id"))
                .doesNotContain(session);
        assertThat(alice.get("/api/sessions").json().path("sessions").findValuesAsText("session_id")).contains(session);
        assertThat(bob.get("/api/sessions?q=hello").json().path("sessions")).isEmpty();
        try (SseTestClient.Connection feed = SseTestClient.open(server.baseUrl() + "/api/sessions/events", bob.headers())) {
            feed.awaitEvents(1, WAIT);
            alice.post("/api/session/rename", Map.of("session_id", session, "title", "renamed by alice"));
            bob.post("/api/session/new", Map.of());
            List<SseTestClient.Frame> events = feed.awaitEvents(2, WAIT);
            assertThat(events.stream().map(SseTestClient.Frame::data)).noneMatch(d -> d.contains(session));
        }
    }

    static Stream<Arguments> everyRoute() {
        return Stream.concat(foreignRequests(), Stream.of(
                Arguments.of("GET", "/api/sessions", null),
                Arguments.of("GET", "/api/sessions/events", null),
                Arguments.of("GET", "/api/models", null),
                Arguments.of("GET", "/api/tokens", null),
                Arguments.of("POST", "/api/session/new", Map.of()),
                Arguments.of("POST", "/api/session/import", Map.of("messages", List.of()))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyRoute")
    void withoutLoginEveryRouteAnswers401Json(String method, String path, Map<String, Object> body) {
        HttpResponse<String> r = UserClient.anonymous(server.baseUrl()).raw(method, ids(path), body == null ? null : ids(body));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r.body()).path("code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void withoutLoginThePageRedirectsToTheLoginPage() {
        HttpResponse<String> r = UserClient.anonymous(server.baseUrl()).raw("GET", "/", null);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/login.html");
    }

    private static JsonNode aliceView() {
        JsonNode s = alice.get("/api/session?messages=1&session_id=" + session).json().path("session");
        return s.deepCopy();
    }

    private static String ids(String s) {
        return s.replace("SID", session).replace("TID", turn).replace("AID", attachment).replace("QID", queued);
    }

    private static Map<String, Object> ids(Map<String, Object> body) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        body.forEach((k, v) -> out.put(k, v instanceof String s ? ids(s) : v));
        return out;
    }

    private static JsonNode json(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
