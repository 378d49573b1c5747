package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static dev.tether.support.TurnLogAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 17: "Reattach to a finished turn: full journal replay ending with its terminal
 * event."
 */
class S17_ReattachFinishedTurnTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void aCompletedTurnReplaysItsWholeJournalAndTheServerCloses() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        List<SseTestClient.Frame> live;
        try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            model.nextCall(WAIT).emit(new ModelDelta.Reasoning("thinking")).emit("Hel").emit("lo")
                    .emit(new ModelDelta.Usage(3, 2)).finish();
            assertThat(tab.awaitEnd(WAIT)).isTrue();
            live = tab.events();
        }
        server.awaitIdle(session);
        try (SseTestClient.Connection late = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.contentType()).startsWith("text/event-stream");
            assertThat(late.header("Cache-Control")).contains("no-cache");
            assertThat(late.awaitEnd(WAIT)).as("the server closes after the replay").isTrue();
            List<SseTestClient.Frame> replay = late.events();
            assertThat(replay).isEqualTo(live);
            assertThat(replay).extracting(SseTestClient.Frame::event)
                    .containsExactly("reasoning", "token", "token", "usage", "done", "stream_end");
            assertWholeTurn(turn, replay);
            assertThat(text(replay)).isEqualTo("Hello");
            JsonNode done = replay.get(4).json();
            assertThat(done.path("session").path("session_id").asText()).isEqualTo(session);
            assertThat(done.path("usage").path("output_tokens").asInt()).isEqualTo(2);
            assertThat(replay.get(5).json().path("session_id").asText()).isEqualTo(session);
        }
        JsonNode reply = server.messages(session).get(1);
        assertThat(reply.path("content").asText()).isEqualTo("Hello");
        assertThat(reply.path("reasoning").asText()).isEqualTo("thinking");

        JsonNode status = server.get("/api/chat/stream/status?stream_id=" + turn).json();
        assertThat(status.path("active").asBoolean()).isFalse();
        assertThat(status.path("terminal").asBoolean()).isTrue();
        assertThat(status.path("terminal_state").asText()).isEqualTo("completed");
        assertThat(status.path("last_seq").asLong()).isEqualTo(6);
        assertThat(status.path("replay_available").asBoolean()).isTrue();
        assertThat(status.path("stream_id").asText()).isEqualTo(turn);

        server.restart();
        assertThat(server.replay(turn)).as("the same journal after a restart").isEqualTo(live);
    }

    @Test
    void cancelledAndFailedTurnsReplayEndingWithTheirTerminalEvent() {
        String session = server.newSession();
        String cancelled = server.startTurn(session, "one");
        model.nextCall(WAIT).emit("partial");
        assertThat(server.post("/api/chat/cancel", Map.of("stream_id", cancelled)).json().path("cancelled")
                .asBoolean()).isTrue();
        String failed = server.startTurn(session, "two");
        ScriptedModel.Call call = model.nextCall(WAIT);
        call.emit("half");
        call.fail(new ModelException("provider_error", "The provider failed.", "Try again later."));
        server.awaitIdle(session);

        List<SseTestClient.Frame> c = server.replay(cancelled);
        assertThat(assertWholeTurn(cancelled, c)).isEqualTo("cancel");
        assertThat(c).extracting(SseTestClient.Frame::event).containsExactly("token", "cancel");
        assertThat(c.getLast().json().path("message").asText()).isNotBlank();
        List<SseTestClient.Frame> f = server.replay(failed);
        assertThat(assertWholeTurn(failed, f)).isEqualTo("apperror");
        assertThat(f).extracting(SseTestClient.Frame::event).containsExactly("token", "apperror");
        assertThat(f.getLast().json().path("message").asText()).isEqualTo("The provider failed.");
        assertThat(f.getLast().json().path("type").asText()).isEqualTo("provider_error");
        assertThat(f.getLast().json().path("hint").asText()).isEqualTo("Try again later.");
        assertThat(server.get("/api/chat/stream/status?stream_id=" + cancelled).json().path("terminal_state").asText())
                .isEqualTo("cancelled");
        assertThat(server.get("/api/chat/stream/status?stream_id=" + failed).json().path("terminal_state").asText())
                .isEqualTo("failed");
        assertThat(server.messages(session)).extracting(m -> m.path("content").asText() + "|" + m.path("status").asText(""))
                .containsExactly("one|", "partial|stopped", "two|", "half|error");
    }

    @Test
    void anUnknownTurnIs404WithAJsonError() {
        for (String path : List.of("/api/chat/stream?stream_id=nope", "/api/chat/stream/status?stream_id=nope")) {
            TestServer.Response r = server.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.json().path("code").asText()).isEqualTo("stream_not_found");
            assertThat(r.json().path("error").asText()).isNotBlank();
        }
        TestServer.Response missing = server.get("/api/chat/stream");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("code").asText()).isNotBlank();
    }
}
