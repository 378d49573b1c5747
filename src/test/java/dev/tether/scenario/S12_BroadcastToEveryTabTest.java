package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SCENARIOS.md 12 and 13: every tab sees every token; a late tab sees the whole reply so far. */
class S12_BroadcastToEveryTabTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void twoTabsAndALateJoinerEachSeeTheWholeReply() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hi");
        ScriptedModel.Call call = model.nextCall(WAIT);
        try (SseTestClient.Connection tab1 = server.stream("/api/chat/stream?stream_id=" + turn, Map.of());
             SseTestClient.Connection tab2 = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            call.emit("Hel").emit("lo");
            tab1.awaitEvents(2, WAIT);
            tab2.awaitEvents(2, WAIT);
            try (SseTestClient.Connection late = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                late.awaitEvents(2, WAIT);
                call.emit(" world");
                call.finish();
                for (SseTestClient.Connection c : new SseTestClient.Connection[] {tab1, tab2, late}) {
                    assertThat(c.awaitEnd(WAIT)).isTrue();
                    assertThat(c.text()).isEqualTo("Hello world");
                    assertThat(c.events()).extracting(SseTestClient.Frame::event)
                            .containsExactly("token", "token", "token", "done", "stream_end");
                    assertThat(c.events()).extracting(SseTestClient.Frame::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
                }
            }
        }
        assertThat(server.session(session).path("messages").get(1).path("content").asText()).isEqualTo("Hello world");
    }
}
