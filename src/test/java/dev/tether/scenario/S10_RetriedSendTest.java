package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.Simultaneous;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 10: "The same send retried after a network error (same client_message_id): one
 * user message, one turn."
 */
class S10_RetriedSendTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void aRetryDuringAndAfterTheTurnAnswersTheSameTurn() {
        String session = server.newSession();
        Map<String, Object> send = Map.of("session_id", session, "message", "hello", "client_message_id", "cm-1");
        TestServer.Response first = server.start(send);
        assertThat(first.status()).isEqualTo(200);
        TestServer.Response retry = server.start(send);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().path("stream_id").asText()).isEqualTo(first.json().path("stream_id").asText());
        assertThat(retry.json().path("turn_id").asText()).isEqualTo(first.json().path("turn_id").asText());
        assertThat(server.messages(session)).hasSize(1);

        model.nextCall(WAIT).echo();
        server.awaitIdle(session);
        TestServer.Response late = server.start(send);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().path("stream_id").asText()).isEqualTo(first.json().path("stream_id").asText());
        assertThat(server.messages(session)).extracting(m -> m.path("content").asText()).containsExactly("hello", "re:hello");
        assertThat(server.session(session).path("is_streaming").asBoolean()).isFalse();
        assertThat(model.callCount()).isEqualTo(1);
    }

    @Test
    void stressTheSameSendArrivingManyTimesAtOnce() {
        for (int n = 0; n < 25; n++) {
            int round = n;
            String session = server.newSession();
            String cmid = "cm-" + round;
            List<TestServer.Response> answers = Simultaneous.run(6, i -> server.start(Map.of(
                    "session_id", session, "message", "hello " + round, "client_message_id", cmid)));
            assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(answers).extracting(r -> r.json().path("stream_id").asText()).as("round %d", round)
                    .containsOnly(answers.getFirst().json().path("stream_id").asText());
            model.nextCall(WAIT).echo();
            server.awaitIdle(session);
            assertThat(server.messages(session)).extracting(m -> m.path("content").asText())
                    .containsExactly("hello " + round, "re:hello " + round);
        }
        assertThat(model.callCount()).isEqualTo(25);
    }

    @Test
    void aQueuedSendRetriedManyTimesAtOnceIsQueuedOnceAndRunsOnce() {
        String session = server.newSession();
        String first = server.startTurn(session, "first");
        ScriptedModel.Call call = model.nextCall(WAIT);
        Map<String, Object> send = Map.of("session_id", session, "message", "second", "client_message_id", "cm-q",
                "queue", true);
        List<TestServer.Response> answers = Simultaneous.run(6, i -> server.start(send));
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().path("queued").asBoolean()).isTrue();
            assertThat(r.json().path("position").asInt()).isEqualTo(1);
        });
        assertThat(answers).extracting(r -> r.json().path("queued_id").asText())
                .containsOnly(answers.getFirst().json().path("queued_id").asText());
        assertThat(server.session(session).path("queued")).hasSize(1);

        call.echo();
        ScriptedModel.Call second = model.nextCall(WAIT);
        assertThat(second.lastUserMessage()).isEqualTo("second");
        // Retried once more after it left the queue: the answer names its turn, nothing new starts.
        TestServer.Response retry = server.start(send);
        assertThat(retry.status()).isEqualTo(200);
        String secondTurn = retry.json().path("stream_id").asText();
        assertThat(secondTurn).isNotEqualTo(first);
        assertThat(server.session(session).path("active_stream_id").asText()).isEqualTo(secondTurn);
        second.echo();
        server.awaitIdle(session);
        List<JsonNode> transcript = server.messages(session);
        assertThat(transcript).extracting(m -> m.path("content").asText())
                .containsExactly("first", "re:first", "second", "re:second");
        assertThat(model.callCount()).isEqualTo(2);
    }
}
