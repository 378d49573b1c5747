package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static dev.tether.support.TurnLogAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 14: "Reload mid-reply: the page reattaches with its last event id and shows the
 * reply with no duplicated and no missing text."
 */
class S14_ReloadMidReplyTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void reattachingWithTheLastEventIdHeaderContinuesExactlyWhereThePageLeft() {
        reloadAndReattach(lastId -> Map.of("Last-Event-ID", lastId), lastId -> "");
    }

    @Test
    void reattachingWithTheLastEventIdInTheQueryContinuesExactlyWhereThePageLeft() {
        reloadAndReattach(lastId -> Map.of(), lastId -> "&after_event_id=" + lastId);
    }

    private void reloadAndReattach(Function<String, Map<String, String>> headers,
                                   Function<String, String> query) {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        ScriptedModel.Call call = model.nextCall(WAIT);
        List<SseTestClient.Frame> seen = new ArrayList<>();
        String lastId;
        try (SseTestClient.Connection page = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/event-stream");
            assertThat(page.header("Cache-Control")).contains("no-cache");
            assertThat(page.header("X-Accel-Buffering")).isEqualTo("no");
            call.emit("One ").emit("two ").emit("three ");
            seen.addAll(page.awaitEvents(3, WAIT));
            lastId = seen.getLast().id();
        } // the page reloads
        call.emit("four ").emit("five "); // written while no page listens

        try (SseTestClient.Connection page = server.stream("/api/chat/stream?stream_id=" + turn + query.apply(lastId),
                headers.apply(lastId))) {
            page.awaitEvents(2, WAIT);
            call.emit("six").finish();
            assertThat(page.awaitEnd(WAIT)).isTrue();
            assertThat(page.events().getFirst().id()).isEqualTo(turn + ":4");
            seen.addAll(page.events());
        }
        assertWholeTurn(turn, seen);
        assertThat(text(seen)).isEqualTo("One two three four five six");
        server.awaitIdle(session);
        assertThat(server.messages(session).get(1).path("content").asText()).isEqualTo(text(seen));
    }
}
