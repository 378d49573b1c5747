package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * SCENARIOS.md 7: "Delete a session while its turn runs: the turn is cancelled; the finishing
 * worker cannot re-create the session."
 */
class S07_DeleteDuringTurnTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void deleteCancelsTheTurnAndTheFinishingWorkerCannotBringTheSessionBack() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        ScriptedModel.Call call = model.nextCall(WAIT).ignoreStop();
        call.emit("partial");
        try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            tab.awaitEvents(1, WAIT);
            TestServer.Response deleted = server.post("/api/session/delete", Map.of("session_id", session));
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.json().path("ok").asBoolean()).isTrue();
            assertThat(tab.awaitEnd(WAIT)).isTrue();
            assertThat(assertWholeTurn(turn, tab.events())).isEqualTo("cancel");
        }
        assertGone(session);

        call.emit("more from the worker").finish();
        call.awaitReturned(WAIT);
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> isGone(session));
        assertGone(session);
        TestServer.Response start = server.start(Map.of("session_id", session, "message", "anyone?"));
        assertThat(start.status()).isEqualTo(404);
        assertThat(start.json().path("code").asText()).isEqualTo("session_not_found");
        assertThat(server.post("/api/session/delete", Map.of("session_id", session)).status()).isEqualTo(404);
        assertThat(server.get("/api/chat/stream?stream_id=" + turn).status()).isEqualTo(404);
        JsonNode health = server.health();
        assertThat(health.path("active_turns").asLong()).isZero();
        assertThat(health.path("active_streams").asLong()).isZero();
        assertThat(health.path("sessions").asLong()).isZero();
    }

    @Test
    void stressDeleteRacingTheWorkerFinishingAndANewStart() {
        for (int round = 0; round < 30; round++) {
            String session = server.newSession();
            String turn = server.startTurn(session, "q");
            ScriptedModel.Call call = model.nextCall(WAIT);
            if (round % 2 == 0) {
                call.ignoreStop();
            }
            call.emit("partial");
            try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                tab.awaitEvents(1, WAIT);
                List<Integer> statuses = Simultaneous.run(3, who -> switch (who) {
                    case 0 -> server.post("/api/session/delete", Map.of("session_id", session)).status();
                    case 1 -> {
                        call.finish();
                        yield 0;
                    }
                    default -> server.start(Map.of("session_id", session, "message", "next", "queue", true)).status();
                });
                assertThat(statuses.get(0)).isEqualTo(200);
                assertThat(statuses.get(2)).as("round %d", round).isIn(200, 202, 404);
                assertThat(tab.awaitEnd(WAIT)).isTrue();
                String terminal = assertWholeTurn(turn, tab.events());
                call.awaitReturned(WAIT);
                // The new message got a turn only if the first one had completed before the delete.
                if (terminal.equals("done") && statuses.get(2) != 404) {
                    ScriptedModel.Call next = model.nextCall(WAIT);
                    next.finish();
                    next.awaitReturned(WAIT);
                }
            }
            assertGone(session);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode health = server.health();
            assertThat(health.path("active_turns").asLong()).isZero();
            assertThat(health.path("active_streams").asLong()).isZero();
            assertThat(health.path("sessions").asLong()).isZero();
        });
    }

    private boolean isGone(String session) {
        return server.get("/api/session?session_id=" + session).status() == 404
                && server.get("/api/sessions").json().path("sessions").findValuesAsText("session_id").stream()
                        .noneMatch(session::equals);
    }

    private void assertGone(String session) {
        TestServer.Response read = server.get("/api/session?session_id=" + session);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.json().path("code").asText()).isEqualTo("session_not_found");
        assertThat(read.json().path("error").asText()).isNotBlank();
        assertThat(server.get("/api/sessions?include_archived=1").json().path("sessions")
                .findValuesAsText("session_id")).doesNotContain(session);
    }
}
