package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ModelDelta;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.Simultaneous;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 6: "A worker that never returns from its model call: cancel still ends the turn at
 * once; the stuck worker, when it wakes, writes nothing."
 */
class S06_StuckWorkerTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void cancelEndsAStuckTurnAtOnceAndTheWorkerWritesNothingWhenItWakes() throws Exception {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        ScriptedModel.Call call = model.nextCall(WAIT).ignoreStop();
        call.emit("partial");
        try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            tab.awaitEvents(1, WAIT);
            // The model call never returns; the cancel must not wait for it.
            JsonNode cancel = CompletableFuture.supplyAsync(() ->
                    server.post("/api/chat/cancel", Map.of("stream_id", turn)).json()).get(3, TimeUnit.SECONDS);
            assertThat(cancel.path("cancelled").asBoolean()).isTrue();
            assertThat(tab.awaitEnd(WAIT)).isTrue();
            assertThat(assertWholeTurn(turn, tab.events())).isEqualTo("cancel");
        }
        assertThat(server.session(session).path("is_streaming").asBoolean()).isFalse();
        assertThat(server.health().path("active_turns").asLong()).isZero();
        List<JsonNode> transcript = server.messages(session);
        List<SseTestClient.Frame> journal = server.replay(turn);
        String status = server.get("/api/chat/stream/status?stream_id=" + turn).body();

        // The worker wakes up, keeps talking, and returns normally.
        call.emit("zombie text").emit(new ModelDelta.Reasoning("zombie thought"))
                .emit(new ModelDelta.Usage(1, 2)).finish();
        call.awaitReturned(WAIT);

        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() ->
                server.messages(session).equals(transcript) && server.replay(turn).equals(journal)
                        && server.get("/api/chat/stream/status?stream_id=" + turn).body().equals(status));
        assertThat(transcript.get(1).path("content").asText()).isEqualTo("partial");
        assertThat(transcript.get(1).path("status").asText()).isEqualTo("stopped");
        assertThat(server.health().path("active_streams").asLong()).isZero();
    }

    @Test
    void stressManyStuckWorkersCancelledAtOnceThenWakingTogether() {
        int sessions = 16;
        for (int round = 0; round < 3; round++) {
            List<String> ids = Simultaneous.run(sessions, i -> server.newSession());
            Map<String, String> turnBySession = new HashMap<>();
            for (int i = 0; i < sessions; i++) {
                turnBySession.put(ids.get(i), server.startTurn(ids.get(i), ids.get(i)));
            }
            Map<String, ScriptedModel.Call> callBySession = new HashMap<>();
            for (int i = 0; i < sessions; i++) {
                ScriptedModel.Call call = model.nextCall(WAIT).ignoreStop();
                call.emit("partial of " + call.lastUserMessage());
                callBySession.put(call.lastUserMessage(), call);
            }
            List<JsonNode> cancels = Simultaneous.run(sessions, i ->
                    server.post("/api/chat/cancel", Map.of("stream_id", turnBySession.get(ids.get(i)))).json());
            assertThat(cancels).allSatisfy(c -> assertThat(c.path("cancelled").asBoolean()).isTrue());

            List<List<JsonNode>> transcripts = new ArrayList<>();
            List<List<SseTestClient.Frame>> journals = new ArrayList<>();
            for (String id : ids) {
                assertThat(server.session(id).path("is_streaming").asBoolean()).isFalse();
                transcripts.add(server.messages(id));
                List<SseTestClient.Frame> journal = server.replay(turnBySession.get(id));
                assertThat(assertWholeTurn(turnBySession.get(id), journal)).isEqualTo("cancel");
                journals.add(journal);
            }
            Simultaneous.run(sessions, i -> {
                ScriptedModel.Call call = callBySession.get(ids.get(i));
                call.emit("zombie").finish();
                call.awaitReturned(WAIT);
                return null;
            });
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> {
                for (int i = 0; i < sessions; i++) {
                    String id = ids.get(i);
                    if (!server.messages(id).equals(transcripts.get(i))
                            || !server.replay(turnBySession.get(id)).equals(journals.get(i))) {
                        return false;
                    }
                }
                return true;
            });
        }
        JsonNode health = server.health();
        assertThat(health.path("active_turns").asLong()).isZero();
        assertThat(health.path("active_streams").asLong()).isZero();
    }
}
