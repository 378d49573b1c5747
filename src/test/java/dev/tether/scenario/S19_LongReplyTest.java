package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static dev.tether.support.TurnLogAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SCENARIOS.md 19: "A long reply (100k+ events): replay is complete; no silent truncation." */
class S19_LongReplyTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int TOKENS = 100_000;
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void everySubscriberGetsEveryEventOfAHundredThousandTokenReply() {
        String[] tokens = new String[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = i + " ";
        }
        String expected = String.join("", tokens);
        String session = server.newSession();
        String turn = server.startTurn(session, "write a lot");
        ScriptedModel.Call call = model.nextCall(WAIT);
        try (SseTestClient.Connection early = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            for (int i = 0; i < TOKENS / 2; i++) {
                call.emit(tokens[i]);
            }
            try (SseTestClient.Connection middle = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                for (int i = TOKENS / 2; i < TOKENS; i++) {
                    call.emit(tokens[i]);
                }
                call.finish();
                for (SseTestClient.Connection c : List.of(early, middle)) {
                    assertThat(c.awaitEnd(WAIT)).isTrue();
                    assertWholeTurn(turn, c.events());
                    assertThat(c.events()).hasSize(TOKENS + 2);
                    assertThat(c.text()).isEqualTo(expected);
                }
            }
        }
        server.awaitIdle(session);
        List<SseTestClient.Frame> late = server.replay(turn);
        assertWholeTurn(turn, late);
        assertThat(late).hasSize(TOKENS + 2);
        assertThat(text(late)).isEqualTo(expected);
        assertThat(server.messages(session).get(1).path("content").asText()).isEqualTo(expected);
        assertThat(server.get("/api/chat/stream/status?stream_id=" + turn).json().path("last_seq").asLong())
                .isEqualTo(TOKENS + 2);
    }

    @Test
    void aReplyStreamedAllAtOnceIsJournaledCompletely() {
        String[] tokens = new String[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = "w" + i;
        }
        ScriptedModel fast = ScriptedModel.autoReply(tokens);
        try (TestServer other = TestServer.with(fast)) {
            String session = other.newSession();
            String turn = other.startTurn(session, "go");
            other.awaitIdle(session);
            List<SseTestClient.Frame> late = other.replay(turn);
            assertWholeTurn(turn, late);
            assertThat(late).hasSize(TOKENS + 3); // tokens, usage, done, stream_end
            assertThat(text(late)).isEqualTo(String.join("", tokens));
            assertThat(other.messages(session).get(1).path("content").asText()).isEqualTo(String.join("", tokens));
        }
    }
}
