package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.config.ConfigLoader;
import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 21: "Heartbeats keep idle streams alive through proxies (shorter than 25–30 s idle
 * timeouts); long "thinking" pauses don't kill the stream." The test server beats every 500 ms.
 */
class S21_HeartbeatTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void aLongThinkingPauseIsFilledWithHeartbeatsAndTheReplyGoesOn() {
        String session = server.newSession();
        String turn = server.startTurn(session, "think hard");
        ScriptedModel.Call call = model.nextCall(WAIT);
        try (SseTestClient.Connection tab = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            call.emit("Let me think");
            tab.awaitEvents(1, WAIT);
            int before = heartbeats(tab);
            // Four beats at 500 ms must come within 3 s; none of them is an event.
            await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(3))
                    .until(() -> heartbeats(tab) >= before + 4);
            assertThat(tab.events()).hasSize(1);
            call.emit("... done.").finish();
            assertThat(tab.awaitEnd(WAIT)).isTrue();
            assertWholeTurn(turn, tab.events());
            assertThat(tab.text()).isEqualTo("Let me think... done.");
        }
    }

    @Test
    void sessionAndSidebarChannelsBeatToo() {
        String session = server.newSession();
        try (SseTestClient.Connection channel = server.stream("/api/session/stream?session_id=" + session, Map.of());
             SseTestClient.Connection sidebar = server.stream("/api/sessions/events", Map.of())) {
            assertThat(channel.contentType()).startsWith("text/event-stream");
            assertThat(sidebar.contentType()).startsWith("text/event-stream");
            assertThat(channel.header("Cache-Control")).contains("no-cache");
            await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(3))
                    .until(() -> heartbeats(channel) >= 3 && heartbeats(sidebar) >= 3);
        }
    }

    @Test
    void theDefaultBeatIsWellUnderCommonProxyIdleTimeouts() {
        Duration beat = new ConfigLoader(Map.of("TETHER_DATA_DIR", server.dataDir().toString())).load().heartbeat();
        assertThat(beat).isLessThanOrEqualTo(Duration.ofSeconds(15)).isPositive();
    }

    private static int heartbeats(SseTestClient.Connection c) {
        return (int) c.comments().stream().filter(f -> f.comment().equals("heartbeat")).count();
    }
}
