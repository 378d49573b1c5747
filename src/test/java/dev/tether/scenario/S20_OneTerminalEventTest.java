package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static dev.tether.support.TurnLogAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ModelException;
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
 * SCENARIOS.md 20: "Every stream ends with exactly one terminal event; the relay closes on
 * `stream_end`, `cancel` and `apperror`; `done` is followed by `stream_end`."
 */
class S20_OneTerminalEventTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    enum Ending { DONE, CANCEL, APPERROR }

    @Test
    void doneIsFollowedByStreamEndAndTheServerCloses() {
        assertThat(endWith(Ending.DONE)).containsExactly("token", "done", "stream_end");
    }

    @Test
    void cancelClosesTheStream() {
        assertThat(endWith(Ending.CANCEL)).containsExactly("token", "cancel");
    }

    @Test
    void apperrorClosesTheStream() {
        assertThat(endWith(Ending.APPERROR)).containsExactly("token", "apperror");
    }

    /** Ends a turn one way; a tab watching live and one arriving after the end see the same closed log. */
    private List<String> endWith(Ending ending) {
        String session = server.newSession();
        String turn = server.startTurn(session, "hi");
        ScriptedModel.Call call = model.nextCall(WAIT);
        try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            call.emit("some text");
            tab.awaitEvents(1, WAIT);
            end(ending, call, turn);
            assertThat(tab.awaitEnd(WAIT)).as("the server closes after the terminal event").isTrue();
            assertThat(assertWholeTurn(turn, tab.events())).isEqualTo(terminalOf(ending));
            assertThat(server.replay(turn)).isEqualTo(tab.events());
            return tab.events().stream().map(SseTestClient.Frame::event).toList();
        }
    }

    /**
     * Two endings race for every turn (the model finishing or failing against a cancel or a second
     * cancel) while two tabs watch: each turn still has exactly one terminal event, and the
     * transcript's mark matches it.
     */
    @Test
    void stressRacingEndingsStillGiveExactlyOneTerminalEvent() {
        String session = server.newSession();
        for (int round = 0; round < 45; round++) {
            String turn = server.startTurn(session, "q" + round);
            ScriptedModel.Call call = model.nextCall(WAIT);
            try (SseTestClient.Connection a = server.stream("/api/chat/stream?stream_id=" + turn, Map.of());
                 SseTestClient.Connection b = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                call.emit("r" + round);
                a.awaitEvents(1, WAIT);
                Ending first = Ending.values()[round % 3];
                Ending second = Ending.values()[(round / 3) % 3];
                Simultaneous.run(2, i -> {
                    end(i == 0 ? first : second, call, turn);
                    return null;
                });
                for (SseTestClient.Connection c : List.of(a, b)) {
                    assertThat(c.awaitEnd(WAIT)).isTrue();
                }
                String terminal = assertWholeTurn(turn, a.events());
                assertThat(b.events()).isEqualTo(a.events());
                assertThat(server.replay(turn)).isEqualTo(a.events());
                server.awaitIdle(session);
                JsonNode reply = server.messages(session).getLast();
                assertThat(reply.path("content").asText()).isEqualTo(text(a.events()));
                assertThat(reply.path("status").asText(null)).as("round %d", round).isEqualTo(switch (terminal) {
                    case "done" -> null;
                    case "cancel" -> "stopped";
                    default -> "error";
                });
            }
        }
    }

    private void end(Ending ending, ScriptedModel.Call call, String turn) {
        switch (ending) {
            case DONE -> call.finish();
            case APPERROR -> call.fail(new ModelException("provider_error", "The provider failed.", "Retry."));
            case CANCEL -> assertThat(server.post("/api/chat/cancel", Map.of("stream_id", turn)).status()).isEqualTo(200);
        }
    }

    private static String terminalOf(Ending ending) {
        return switch (ending) {
            case DONE -> "done";
            case CANCEL -> "cancel";
            case APPERROR -> "apperror";
        };
    }
}
