package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exact first frames of a session channel and of the sidebar, as clients parse them. */
class ChannelFramesTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ScriptedModel model = ScriptedModel.manual();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.with(model);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBusySessionsChannelOpensWithItsSummaryItsTurnAndAnUpdate() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        ScriptedModel.Call call = model.nextCall(WAIT);
        try (SseTestClient.Connection channel = server.stream("/api/session/stream?known_count=0&session_id=" + session,
                Map.of())) {
            List<SseTestClient.Frame> frames = channel.awaitEvents(3, WAIT);
            String summary = "{\"session_id\":\"" + session + "\",\"title\":\"hello\",\"message_count\":1,"
                    + "\"model\":\"" + TestServer.MODEL + "\",\"is_streaming\":true,\"active_stream_id\":\"" + turn + "\"}";
            assertThat(frames).extracting(SseTestClient.Frame::event, SseTestClient.Frame::data).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("initial", summary),
                    org.assertj.core.groups.Tuple.tuple("turn_started",
                            "{\"session_id\":\"" + session + "\",\"stream_id\":\"" + turn + "\"}"),
                    org.assertj.core.groups.Tuple.tuple("session_updated", summary));
            assertThat(frames).allSatisfy(f -> assertThat(f.id()).isNull());
        } finally {
            call.finish();
            server.awaitIdle(session);
        }
    }

    @Test
    void theSidebarOpensWithItsVersion() {
        try (SseTestClient.Connection sidebar = server.stream("/api/sessions/events", Map.of())) {
            SseTestClient.Frame first = sidebar.awaitEvents(1, WAIT).getFirst();
            assertThat(first.event()).isEqualTo("sessions_changed");
            assertThat(first.data()).matches("\\{\"version\":\\d+,\"reason\":\"initial\"}");
        }
    }
}
