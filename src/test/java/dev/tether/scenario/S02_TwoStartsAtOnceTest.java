package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.Simultaneous;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 2: "Two chat starts on one session at the same moment (two tabs, double click):
 * exactly one turn; the other gets 409 (or is queued when it asked to queue)."
 */
class S02_TwoStartsAtOnceTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void twoStartsReleasedTogetherMakeOneTurnAndOne409() {
        String session = server.newSession();
        List<TestServer.Response> answers = Simultaneous.run(2, i ->
                server.start(Map.of("session_id", session, "message", "tab " + i)));

        TestServer.Response ok = only(answers, 200);
        TestServer.Response refused = only(answers, 409);
        String turn = ok.json().path("stream_id").asText();
        assertThat(ok.json().path("turn_id").asText()).isEqualTo(turn);
        assertThat(ok.json().path("session_id").asText()).isEqualTo(session);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.json().path("code").asText()).isEqualTo("turn_active");
        assertThat(refused.json().path("error").asText()).isNotBlank();
        assertThat(refused.json().path("active_stream_id").asText()).isEqualTo(turn);

        ScriptedModel.Call call = model.nextCall(WAIT);
        List<JsonNode> during = server.messages(session);
        assertThat(during).hasSize(1);
        assertThat(during.getFirst().path("content").asText()).isEqualTo(call.lastUserMessage());
        call.echo();
        server.awaitIdle(session);

        assertThat(model.callCount()).isEqualTo(1);
        assertThat(server.messages(session)).extracting(m -> m.path("content").asText())
                .containsExactly(call.lastUserMessage(), "re:" + call.lastUserMessage());
    }

    @Test
    void withQueueOneStartsAndTheOthersStartByThemselvesInOrder() {
        String session = server.newSession();
        List<TestServer.Response> answers = Simultaneous.run(2, i ->
                server.start(Map.of("session_id", session, "message", "tab " + i, "queue", true)));
        TestServer.Response started = only(answers, 200);
        TestServer.Response queued = only(answers, 202);
        assertThat(queued.json().path("queued").asBoolean()).isTrue();
        assertThat(queued.json().path("position").asInt()).isEqualTo(1);
        String first = started.json().path("stream_id").asText();
        String loser = answers.get(0) == started ? "tab 1" : "tab 0";

        List<String> expectedOrder = new ArrayList<>(List.of(loser));
        for (int i = 2; i <= 4; i++) {
            TestServer.Response r = server.start(Map.of("session_id", session, "message", "later " + i, "queue", true));
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().path("position").asInt()).isEqualTo(i);
            expectedOrder.add("later " + i);
        }
        JsonNode view = server.session(session);
        assertThat(view.path("active_stream_id").asText()).isEqualTo(first);
        assertThat(view.path("queued")).extracting(q -> q.path("message").asText()).containsExactlyElementsOf(expectedOrder);

        ScriptedModel.Call call = model.nextCall(WAIT);
        String firstMessage = call.lastUserMessage();
        call.echo();
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < expectedOrder.size(); i++) {
            ScriptedModel.Call next = model.nextCall(WAIT); // started by the server, not by us
            answered.add(next.lastUserMessage());
            next.echo();
        }
        assertThat(answered).containsExactlyElementsOf(expectedOrder);
        server.awaitIdle(session);

        List<String> expectedTranscript = new ArrayList<>();
        for (String m : concat(firstMessage, expectedOrder)) {
            expectedTranscript.add(m);
            expectedTranscript.add("re:" + m);
        }
        assertThat(server.messages(session)).extracting(m -> m.path("content").asText())
                .containsExactlyElementsOf(expectedTranscript);
        assertThat(server.session(session).path("queued")).isEmpty();
    }

    @Test
    void aStartThatCannotStartIsAClearErrorAndStartsNothing() {
        String session = server.newSession();
        assertError(server.start(Map.of("session_id", session, "message", "  ")), 400, "empty_message");
        assertError(server.start(Map.of("session_id", session)), 400, "empty_message");
        assertError(server.post("/api/chat/start", "{\"session_id\": "), 400, "bad_json");
        assertError(server.start(Map.of("session_id", session, "message", 42)), 400, "bad_field");
        assertError(server.start(Map.of("session_id", "no-such-session", "message", "hi")), 404, "session_not_found");
        assertThat(server.session(session).path("message_count").asInt()).isZero();
        assertThat(model.callCount()).isZero();
    }

    private static void assertError(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("error").asText()).isNotBlank();
    }

    @Test
    void stressManyTabsAtOnceNeverMakeTwoTurns() {
        int tabs = 8;
        for (int round = 0; round < 40; round++) {
            String session = server.newSession();
            List<TestServer.Response> answers = Simultaneous.run(tabs, i ->
                    server.start(Map.of("session_id", session, "message", "tab " + i)));
            TestServer.Response ok = only(answers, 200);
            String turn = ok.json().path("stream_id").asText();
            assertThat(answers).as("round %d", round).filteredOn(r -> r.status() == 409).hasSize(tabs - 1)
                    .allSatisfy(r -> assertThat(r.json().path("active_stream_id").asText()).isEqualTo(turn));
            model.nextCall(WAIT).echo();
            server.awaitIdle(session);
            assertThat(server.messages(session)).as("round %d", round).hasSize(2);
        }
        assertThat(model.callCount()).isEqualTo(40);
    }

    @Test
    void stressManyQueuedTabsStartInTheOrderTheServerGaveThem() {
        int tabs = 6;
        for (int round = 0; round < 15; round++) {
            String session = server.newSession();
            List<TestServer.Response> answers = Simultaneous.run(tabs, i ->
                    server.start(Map.of("session_id", session, "message", "m" + i, "queue", true)));
            assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
            List<TestServer.Response> queued = answers.stream().filter(r -> r.status() == 202)
                    .sorted((a, b) -> a.json().path("position").asInt() - b.json().path("position").asInt()).toList();
            assertThat(queued).extracting(r -> r.json().path("position").asInt())
                    .containsExactly(1, 2, 3, 4, 5);
            List<String> order = new ArrayList<>();
            for (int i = 0; i < tabs; i++) {
                ScriptedModel.Call call = model.nextCall(WAIT);
                order.add(call.lastUserMessage());
                call.echo();
            }
            server.awaitIdle(session);
            List<String> queuedOrder = order.subList(1, tabs);
            List<String> expectedQueued = queued.stream().map(r -> "m" + answers.indexOf(r)).toList();
            assertThat(queuedOrder).as("round %d", round).containsExactlyElementsOf(expectedQueued);
            List<JsonNode> transcript = server.messages(session);
            assertThat(transcript).hasSize(2 * tabs);
            for (int i = 0; i < transcript.size(); i += 2) {
                assertThat(transcript.get(i + 1).path("content").asText())
                        .isEqualTo("re:" + transcript.get(i).path("content").asText());
            }
        }
    }

    private static TestServer.Response only(List<TestServer.Response> answers, int status) {
        List<TestServer.Response> matching = answers.stream().filter(r -> r.status() == status).toList();
        assertThat(matching).as("answers with %d among %s", status, answers).hasSize(1);
        return matching.getFirst();
    }

    private static List<String> concat(String head, List<String> tail) {
        List<String> out = new ArrayList<>(List.of(head));
        out.addAll(tail);
        return out;
    }
}
