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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 3: "Stop, then send immediately: the old turn's result never lands on the new
 * turn's transcript; the new turn is never blocked by the old one unwinding."
 */
class S03_StopThenSendTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void sendRightAfterStopStartsAtOnceAndTheOldWorkerWritesNothing() {
        String session = server.newSession();
        String oldTurn = server.startTurn(session, "first question");
        ScriptedModel.Call oldCall = model.nextCall(WAIT).ignoreStop(); // still unwinding after the stop
        oldCall.emit("old partial");
        try (SseTestClient.Connection oldTab = server.stream("/api/chat/stream?stream_id=" + oldTurn, Map.of())) {
            oldTab.awaitEvents(1, WAIT);

            TestServer.Response cancel = server.post("/api/chat/cancel", Map.of("stream_id", oldTurn));
            assertThat(cancel.status()).isEqualTo(200);
            assertThat(cancel.json().path("ok").asBoolean()).isTrue();
            assertThat(cancel.json().path("cancelled").asBoolean()).isTrue();
            assertThat(cancel.json().path("stream_id").asText()).isEqualTo(oldTurn);

            // The old model call has not returned, and the new turn starts anyway.
            TestServer.Response second = server.start(Map.of("session_id", session, "message", "second question"));
            assertThat(second.status()).isEqualTo(200);
            String newTurn = second.json().path("stream_id").asText();
            ScriptedModel.Call newCall = model.nextCall(WAIT);
            assertThat(newCall.lastUserMessage()).isEqualTo("second question");

            try (SseTestClient.Connection newTab = server.stream("/api/chat/stream?stream_id=" + newTurn, Map.of())) {
                oldCall.emit("OLD LATE TEXT");
                oldCall.finish();
                oldCall.awaitReturned(WAIT);
                newCall.emit("new reply");
                newCall.finish();

                assertThat(newTab.awaitEnd(WAIT)).isTrue();
                assertThat(newTab.text()).isEqualTo("new reply");
                assertWholeTurn(newTurn, newTab.events());
            }
            assertThat(oldTab.awaitEnd(WAIT)).isTrue();
            assertThat(assertWholeTurn(oldTurn, oldTab.events())).isEqualTo("cancel");
            assertThat(oldTab.text()).isEqualTo("old partial");
        }
        List<SseTestClient.Frame> oldJournal = server.replay(oldTurn);
        assertThat(assertWholeTurn(oldTurn, oldJournal)).isEqualTo("cancel");
        assertThat(text(oldJournal)).isEqualTo("old partial");

        List<JsonNode> transcript = server.messages(session);
        assertThat(transcript).extracting(m -> m.path("role").asText() + "|" + m.path("content").asText()
                        + "|" + m.path("status").asText(""))
                .containsExactly("user|first question|", "assistant|old partial|stopped",
                        "user|second question|", "assistant|new reply|");
    }

    @Test
    void stressStopAndSendRacingTheOldWorker() {
        String session = server.newSession();
        String turn = server.startTurn(session, "q0");
        List<String> turns = new ArrayList<>(List.of(turn));
        List<Boolean> cancelled = new ArrayList<>();
        int rounds = 40;
        for (int i = 0; i < rounds; i++) {
            ScriptedModel.Call call = model.nextCall(WAIT);
            assertThat(call.lastUserMessage()).isEqualTo("q" + i);
            boolean stuck = i % 2 == 0;
            if (stuck) {
                call.ignoreStop();
            }
            call.emit("r" + i + "-a ");
            String current = turn;
            int round = i;
            List<Object> results = Simultaneous.run(2, who -> {
                if (who == 0) { // the user: Stop, then send at once
                    JsonNode c = server.post("/api/chat/cancel", Map.of("stream_id", current)).json();
                    TestServer.Response next = server.start(Map.of("session_id", session, "message", "q" + (round + 1)));
                    return List.of(c, next);
                }
                if (stuck) { // the old worker, unwinding while the user acts
                    call.emit("r" + round + "-late ");
                }
                call.finish();
                return "worker";
            });
            @SuppressWarnings("unchecked")
            List<Object> user = (List<Object>) results.get(0);
            cancelled.add(((JsonNode) user.get(0)).path("cancelled").asBoolean());
            TestServer.Response next = (TestServer.Response) user.get(1);
            assertThat(next.status()).as("round %d: the new turn is not blocked by the old one", i).isEqualTo(200);
            call.awaitReturned(WAIT);
            turn = next.json().path("stream_id").asText();
            turns.add(turn);
        }
        model.nextCall(WAIT).echo();
        server.awaitIdle(session);

        List<JsonNode> transcript = server.messages(session);
        assertThat(transcript).hasSize(2 * (rounds + 1));
        for (int i = 0; i < rounds; i++) {
            List<SseTestClient.Frame> journal = server.replay(turns.get(i));
            String terminal = assertWholeTurn(turns.get(i), journal);
            assertThat(terminal).as("round %d", i).isEqualTo(cancelled.get(i) ? "cancel" : "done");
            JsonNode user = transcript.get(2 * i);
            JsonNode reply = transcript.get(2 * i + 1);
            assertThat(user.path("content").asText()).isEqualTo("q" + i);
            assertThat(reply.path("turn_id").asText()).isEqualTo(turns.get(i));
            assertThat(reply.path("content").asText()).as("round %d", i).isEqualTo(text(journal)).startsWith("r" + i + "-a");
            assertThat(reply.path("status").isNull()).isEqualTo(!cancelled.get(i));
            if (cancelled.get(i)) {
                assertThat(reply.path("status").asText()).isEqualTo("stopped");
            }
        }
        assertThat(transcript.getLast().path("content").asText()).isEqualTo("re:q" + rounds);
    }
}
