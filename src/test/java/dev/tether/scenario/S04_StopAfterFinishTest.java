package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static dev.tether.support.TurnLogAssertions.text;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 4: "Stop arriving just after the turn finished: the saved reply stays; no
 * "cancelled" marker."
 */
class S04_StopAfterFinishTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void stopAfterDoneChangesNothing() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            model.nextCall(WAIT).emit("the whole ").emit("reply").finish();
            assertThat(tab.awaitEnd(WAIT)).isTrue();
            assertThat(assertWholeTurn(turn, tab.events())).isEqualTo("done");
        }
        List<SseTestClient.Frame> before = server.replay(turn);

        TestServer.Response post = server.post("/api/chat/cancel", Map.of("stream_id", turn));
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.json().path("ok").asBoolean()).isTrue();
        assertThat(post.json().path("cancelled").isBoolean()).isTrue();
        assertThat(post.json().path("cancelled").asBoolean()).isFalse();
        assertThat(post.json().path("stream_id").asText()).isEqualTo(turn);
        TestServer.Response get = server.get("/api/chat/cancel?stream_id=" + turn);
        assertThat(get.status()).as("cancel is POST only (issue 22)").isEqualTo(405);
        assertThat(get.json().path("error").asText()).contains("POST");

        assertThat(server.replay(turn)).isEqualTo(before);
        List<JsonNode> transcript = server.messages(session);
        assertThat(transcript).hasSize(2);
        assertThat(transcript.get(1).path("content").asText()).isEqualTo("the whole reply");
        assertThat(transcript.get(1).path("status").isNull()).isTrue();
        JsonNode status = server.get("/api/chat/stream/status?stream_id=" + turn).json();
        assertThat(status.path("terminal_state").asText()).isEqualTo("completed");
        assertThat(status.path("active").asBoolean()).isFalse();
    }

    @Test
    void cancelOfAnUnknownTurnIs404() {
        TestServer.Response r = server.post("/api/chat/cancel", Map.of("stream_id", "no-such-turn"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("code").asText()).isEqualTo("stream_not_found");
        assertThat(r.json().path("error").asText()).isNotBlank();
    }

    @Test
    void stressStopRacingTheFinishEitherStopsOrKeepsTheReplyNeverBoth() {
        for (int round = 0; round < 60; round++) {
            String session = server.newSession();
            String turn = server.startTurn(session, "q" + round);
            ScriptedModel.Call call = model.nextCall(WAIT);
            call.emit("reply " + round);
            List<Object> results = Simultaneous.run(2, who -> {
                if (who == 0) {
                    return server.post("/api/chat/cancel", Map.of("stream_id", turn)).json();
                }
                // Jitter, not synchronisation: lets the stop land on either side of the finish.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
                call.finish();
                return null;
            });
            boolean cancelled = ((JsonNode) results.get(0)).path("cancelled").asBoolean();
            call.awaitReturned(WAIT);
            server.awaitIdle(session);
            List<SseTestClient.Frame> journal = server.replay(turn);
            assertThat(assertWholeTurn(turn, journal)).as("round %d", round).isEqualTo(cancelled ? "cancel" : "done");
            JsonNode reply = server.messages(session).get(1);
            assertThat(reply.path("content").asText()).isEqualTo(text(journal)).isEqualTo("reply " + round);
            assertThat(reply.path("status").asText(null)).as("round %d", round).isEqualTo(cancelled ? "stopped" : null);
        }
    }
}
