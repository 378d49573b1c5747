package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SCENARIOS.md 24, 25, 27 and 28, with the real server process killed by SIGKILL:
 * 24 — killed mid-reply: after restart the user message is there, the journaled partial reply is
 * kept, the turn ends interrupted with one terminal event, the session is idle, retry is offered;
 * 25 — killed right after accepting a message: the message is still there;
 * 27 — reattaching to the old turn id after restart replays its journal and terminal event;
 * 28 — a turn that finished before the kill is never marked interrupted.
 */
class S24_KilledMidReplyTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> SLOW_DEMO = Map.of("TETHER_DEMO_TOKEN_MS", "40", "TETHER_HEARTBEAT_MS", "500");
    final HttpClient http = HttpClient.newHttpClient();
    Path data;
    TestStore store;
    Map<String, String> env;

    @BeforeEach
    void chooseStore() throws Exception {
        data = Files.createTempDirectory("tether-crash");
        store = TestStore.chosen(data);
        env = new HashMap<>(SLOW_DEMO);
        env.putAll(store.settings());
    }

    @AfterEach
    void dropStore() {
        store.close();
    }

    @Test
    void killMidReplyThenRestart() throws Exception {
        String session;
        String finished;
        String interrupted;
        String seenBeforeKill;
        try (ServerProcess first = ServerProcess.start(data, env)) {
            session = post(first, "/api/session/new", "{}").path("session").path("session_id").asText();
            finished = start(first, session, "a quick one");
            try (SseTestClient.Connection c = SseTestClient.open(first.baseUrl() + "/api/chat/stream?stream_id=" + finished, Map.of())) {
                assertThat(c.awaitEnd(WAIT)).isTrue(); // scenario 28: this one completes before the kill
            }
            interrupted = start(first, session, "please write a long answer");
            try (SseTestClient.Connection c = SseTestClient.open(first.baseUrl() + "/api/chat/stream?stream_id=" + interrupted, Map.of())) {
                c.awaitEvents(12, WAIT);
                seenBeforeKill = c.text();
                first.kill();
            }
        }
        try (ServerProcess second = ServerProcess.start(data, env)) {
            JsonNode s = get(second, "/api/session?messages=1&session_id=" + session).path("session");
            assertThat(s.path("is_streaming").asBoolean()).isFalse();
            assertThat(s.path("active_stream_id").isNull()).isTrue();
            JsonNode messages = s.path("messages");
            assertThat(messages).hasSize(4);
            assertThat(messages.get(0).path("content").asText()).isEqualTo("a quick one");
            assertThat(messages.get(1).path("status").isNull()).as("28: a finished turn is not interrupted").isTrue();
            assertThat(messages.get(2).path("content").asText()).isEqualTo("please write a long answer");
            JsonNode reply = messages.get(3);
            assertThat(reply.path("status").asText()).isEqualTo("interrupted");
            String kept = reply.path("content").asText();
            assertThat(seenBeforeKill).startsWith(kept);

            // 27: the old turn id replays its journal and one terminal event, then closes.
            try (SseTestClient.Connection c = SseTestClient.open(second.baseUrl() + "/api/chat/stream?stream_id=" + interrupted, Map.of())) {
                assertThat(c.awaitEnd(WAIT)).isTrue();
                List<SseTestClient.Frame> events = c.events();
                assertThat(c.text()).isEqualTo(kept);
                assertThat(events.stream().filter(e -> List.of("done", "cancel", "apperror").contains(e.event()))).hasSize(1);
                SseTestClient.Frame last = events.getLast();
                assertThat(last.event()).isEqualTo("apperror");
                assertThat(last.json().path("type").asText()).isEqualTo("interrupted");
                assertThat(last.json().path("recovery_control").asText()).isEqualTo("retry");
                for (int i = 0; i < events.size(); i++) {
                    assertThat(events.get(i).seq()).isEqualTo(i + 1);
                }
            }
            try (SseTestClient.Connection c = SseTestClient.open(second.baseUrl() + "/api/chat/stream?stream_id=" + finished, Map.of())) {
                assertThat(c.awaitEnd(WAIT)).isTrue();
                assertThat(c.events().getLast().event()).isEqualTo("stream_end");
            }
            JsonNode status = get(second, "/api/chat/stream/status?stream_id=" + interrupted);
            assertThat(status.path("terminal_state").asText()).isEqualTo("interrupted");

            // 24: retry works on the recovered session.
            HttpResponse<String> retry = send(second, "/api/chat/start",
                    "{\"session_id\":\"" + session + "\",\"regenerate\":true}");
            assertThat(retry.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void killRightAfterTheMessageWasAccepted() throws Exception {
        String session;
        try (ServerProcess first = ServerProcess.start(data, env)) {
            session = post(first, "/api/session/new", "{}").path("session").path("session_id").asText();
            start(first, session, "do not lose me");
            first.kill();
        }
        try (ServerProcess second = ServerProcess.start(data, env)) {
            JsonNode s = get(second, "/api/session?messages=1&session_id=" + session).path("session");
            assertThat(s.path("messages").get(0).path("content").asText()).isEqualTo("do not lose me");
            assertThat(s.path("is_streaming").asBoolean()).isFalse();
            assertThat(s.path("messages").get(1).path("status").asText()).isEqualTo("interrupted");
        }
    }

    private String start(ServerProcess server, String session, String message) throws Exception {
        HttpResponse<String> r = send(server, "/api/chat/start",
                JSON.writeValueAsString(Map.of("session_id", session, "message", message)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("stream_id").asText();
    }

    private JsonNode post(ServerProcess server, String path, String body) throws Exception {
        return JSON.readTree(send(server, path, body).body());
    }

    private HttpResponse<String> send(ServerProcess server, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(ServerProcess server, String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
