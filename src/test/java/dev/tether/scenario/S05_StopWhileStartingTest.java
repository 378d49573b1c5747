package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.Simultaneous;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 5: "Stop arriving while the turn is starting (before its worker runs): the turn
 * ends cancelled, the session is idle, nothing is left running."
 */
class S05_StopWhileStartingTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void stopRightAfterStartEndsTheTurnCancelledWithNothingLeftRunning() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        // No nextCall yet: the worker has produced nothing, and may not have reached the model.
        TestServer.Response cancel = server.post("/api/chat/cancel", Map.of("stream_id", turn));
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("cancelled").asBoolean()).isTrue();

        JsonNode view = server.session(session);
        assertThat(view.path("is_streaming").asBoolean()).isFalse();
        assertThat(view.path("active_stream_id").isNull()).isTrue();
        JsonNode health = server.health();
        assertThat(health.path("active_turns").asLong()).isZero();
        assertThat(health.path("active_streams").asLong()).isZero();

        ScriptedModel.Call call = model.nextCall(WAIT); // the worker's call, stopped before it began
        call.awaitReturned(WAIT);
        assertThat(call.isStopped()).isTrue();

        List<SseTestClient.Frame> journal = server.replay(turn);
        assertThat(assertWholeTurn(turn, journal)).isEqualTo("cancel");
        assertThat(journal).hasSize(1);
        List<JsonNode> transcript = server.messages(session);
        assertThat(transcript).extracting(m -> m.path("role").asText() + "|" + m.path("content").asText()
                + "|" + m.path("status").asText("")).containsExactly("user|hello|", "assistant||stopped");
        assertThat(server.get("/api/chat/stream/status?stream_id=" + turn).json().path("terminal_state").asText())
                .isEqualTo("cancelled");
        // The session takes the next message at once.
        server.startTurn(session, "again");
        model.nextCall(WAIT).echo();
        server.awaitIdle(session);
    }

    @Test
    void stressStartThenStopOnManySessionsAtOnce() {
        int sessions = 8;
        int rounds = 12;
        for (int round = 0; round < rounds; round++) {
            List<String> ids = Simultaneous.run(sessions, i -> server.newSession());
            List<String[]> outcomes = Simultaneous.run(sessions, i -> {
                String turn = server.startTurn(ids.get(i), "s" + i);
                JsonNode cancel = server.post("/api/chat/cancel", Map.of("stream_id", turn)).json();
                return new String[] {turn, cancel.path("cancelled").asText()};
            });
            for (int i = 0; i < sessions; i++) {
                String turn = outcomes.get(i)[0];
                assertThat(outcomes.get(i)[1]).as("round %d session %d", round, i).isEqualTo("true");
                assertThat(server.session(ids.get(i)).path("is_streaming").asBoolean()).isFalse();
                List<SseTestClient.Frame> journal = server.replay(turn);
                assertThat(assertWholeTurn(turn, journal)).isEqualTo("cancel");
                assertThat(server.messages(ids.get(i))).hasSize(2)
                        .last().satisfies(m -> assertThat(m.path("status").asText()).isEqualTo("stopped"));
            }
            for (int i = 0; i < sessions; i++) {
                ScriptedModel.Call call = model.nextCall(WAIT);
                call.awaitReturned(WAIT);
                assertThat(call.isStopped()).isTrue();
            }
        }
        JsonNode health = server.health();
        assertThat(health.path("active_turns").asLong()).isZero();
        assertThat(health.path("active_streams").asLong()).isZero();
        assertThat(model.callCount()).isEqualTo(sessions * rounds);
    }
}
