package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ModelException;
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
 * SCENARIOS.md 9: "Regenerate based on a stale view (another tab already changed the transcript):
 * rejected, not applied to the wrong message."
 */
class S09_StaleViewTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void regenerateOrEditFromAStaleViewIsRejectedAndChangesNothing() {
        String session = server.newSession();
        exchange(session, "u0");
        int tabBView = server.session(session).path("message_count").asInt();
        assertThat(tabBView).isEqualTo(2);
        exchange(session, "u1"); // tab A moved on
        List<JsonNode> before = server.messages(session);

        for (Map<String, Object> stale : List.<Map<String, Object>>of(
                Map.of("session_id", session, "regenerate", true, "expected_message_count", tabBView),
                Map.of("session_id", session, "message", "u0 edited", "edit_index", 0, "expected_message_count", tabBView),
                Map.of("session_id", session, "message", "send", "expected_message_count", tabBView))) {
            TestServer.Response r = server.start(stale);
            assertThat(r.status()).as("%s", stale).isEqualTo(409);
            assertThat(r.json().path("code").asText()).isEqualTo("stale_view");
            assertThat(r.json().path("error").asText()).isNotBlank();
            assertThat(r.json().path("message_count").asInt()).isEqualTo(4);
        }
        assertThat(server.messages(session)).isEqualTo(before);
        assertThat(server.session(session).path("is_streaming").asBoolean()).isFalse();
        assertThat(model.callCount()).isEqualTo(2);

        // With the current view the same regenerate applies to the right message.
        TestServer.Response fresh = server.start(Map.of("session_id", session, "regenerate", true,
                "expected_message_count", 4));
        assertThat(fresh.status()).isEqualTo(200);
        ScriptedModel.Call call = model.nextCall(WAIT);
        assertThat(call.lastUserMessage()).isEqualTo("u1");
        call.emit("second try").finish();
        server.awaitIdle(session);
        assertThat(server.messages(session)).extracting(m -> m.path("content").asText())
                .containsExactly("u0", "re:u0", "u1", "second try");
    }

    /** Issue 17: a Retry on an old error card, after newer messages, named no reply and replaced the newest one. */
    @Test
    void aRetryOfAReplyThatIsNoLongerTheLastIsRefusedAndChangesNothing() {
        String session = server.newSession();
        server.startTurn(session, "x");
        model.nextCall(WAIT).fail(new ModelException("upstream", "The model failed.", "Try again later."));
        server.awaitIdle(session);
        exchange(session, "u1");
        exchange(session, "u2");
        List<JsonNode> before = server.messages(session);
        assertThat(before.get(1).path("status").asText()).isEqualTo("error");

        // The tab's view is current (6 messages), but the reply it names (1) is not the last one.
        TestServer.Response stale = server.start(Map.of("session_id", session, "regenerate", true,
                "reply_index", 1, "expected_message_count", 6));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().path("code").asText()).isEqualTo("not_last_reply");
        assertThat(stale.json().path("error").asText()).isNotBlank();
        assertThat(stale.json().path("message_count").asInt()).isEqualTo(6);
        assertThat(server.messages(session)).isEqualTo(before);
        assertThat(model.callCount()).isEqualTo(3);

        for (int beyond : List.of(0, 4, 6, 7)) {
            TestServer.Response wrong = server.start(Map.of("session_id", session, "regenerate", true, "reply_index", beyond));
            assertThat(wrong.status()).as("reply_index %d", beyond).isEqualTo(409);
            assertThat(wrong.json().path("code").asText()).isEqualTo("not_last_reply");
        }
        assertThat(server.start(Map.of("session_id", session, "message", "m", "reply_index", 5)).status()).isEqualTo(400);
        assertThat(server.start(Map.of("session_id", session, "regenerate", true, "reply_index", -1)).status()).isEqualTo(400);

        // Naming the last reply replaces exactly that one.
        TestServer.Response fresh = server.start(Map.of("session_id", session, "regenerate", true, "reply_index", 5));
        assertThat(fresh.status()).isEqualTo(200);
        model.nextCall(WAIT).emit("again").finish();
        server.awaitIdle(session);
        assertThat(server.messages(session)).extracting(m -> m.path("content").asText())
                .containsExactly("x", "", "u1", "re:u1", "u2", "again");
    }

    @Test
    void twoTabsRegeneratingFromTheSameViewMakeOneTurn() {
        String session = server.newSession();
        exchange(session, "u0");
        for (int round = 0; round < 20; round++) {
            int view = server.session(session).path("message_count").asInt();
            List<TestServer.Response> answers = Simultaneous.run(4, i -> server.start(Map.of(
                    "session_id", session, "regenerate", true, "expected_message_count", view)));
            assertThat(answers).filteredOn(r -> r.status() == 200).as("round %d", round).hasSize(1);
            assertThat(answers).filteredOn(r -> r.status() != 200).hasSize(3)
                    .allSatisfy(r -> {
                        assertThat(r.status()).isEqualTo(409);
                        assertThat(r.json().path("code").asText()).isIn("stale_view", "turn_active");
                    });
            ScriptedModel.Call call = model.nextCall(WAIT);
            call.emit("answer " + round).finish();
            server.awaitIdle(session);
            assertThat(server.messages(session)).extracting(m -> m.path("content").asText())
                    .containsExactly("u0", "answer " + round);
        }
        assertThat(model.callCount()).isEqualTo(21);
    }

    private void exchange(String session, String message) {
        server.startTurn(session, message);
        model.nextCall(WAIT).echo();
        server.awaitIdle(session);
    }
}
