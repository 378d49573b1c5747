package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/events (issue 17.2): the sidebar, session channels and turns on one connection, each
 * turn resumed after the cursor it is asked from, so a browser's shared connection can be replaced
 * without losing or repeating an event.
 */
class S12b_SharedStreamTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void oneConnectionCarriesTheSidebarASessionAndTwoTurnsEachFromItsCursor() {
        String a = server.newSession();
        String b = server.newSession();
        String turnA = server.startTurn(a, "to a");
        ScriptedModel.Call callA = model.nextCall(WAIT);
        callA.emit("a1").emit("a2").emit("a3");
        awaitSeq(turnA, 3);
        String turnB = server.startTurn(b, "to b");
        ScriptedModel.Call callB = model.nextCall(WAIT);
        callB.emit("b1");
        awaitSeq(turnB, 1);

        try (SseTestClient.Connection c = server.stream("/api/events?sessions=" + a + "&turns=" + turnA + ":2," + turnB,
                Map.of())) {
            assertThat(c.status()).isEqualTo(200);
            c.awaitEvents(5, WAIT);
            callA.emit("a4").finish();
            callB.emit("b2").finish();
            List<SseTestClient.Frame> frames = awaitUntil(c, f -> "stream_end".equals(f.event()), 2);
            assertThat(frames.getFirst().event()).isEqualTo("sessions_changed");
            assertThat(frames).filteredOn(f -> f.id() != null && f.id().startsWith(turnA + ":"))
                    .extracting(SseTestClient.Frame::seq).startsWith(3L).isSorted().doesNotHaveDuplicates();
            assertThat(tokens(frames, turnA)).isEqualTo("a3a4");
            assertThat(tokens(frames, turnB)).isEqualTo("b1b2");
            assertThat(frames).filteredOn(f -> "initial".equals(f.event())).singleElement()
                    .satisfies(f -> assertThat(f.json().path("session_id").asText()).isEqualTo(a));
            assertThat(frames).filteredOn(f -> "turn_started".equals(f.event())).extracting(f -> f.json().path("stream_id").asText())
                    .contains(turnA);
        }
    }

    @Test
    void unknownIdsAreReportedOnTheStreamAndTooManyAreRefused() {
        String a = server.newSession();
        try (SseTestClient.Connection c = server.stream("/api/events?sessions=nope&turns=nope-turn", Map.of())) {
            assertThat(c.status()).isEqualTo(200);
            List<SseTestClient.Frame> frames = c.awaitEvents(3, WAIT);
            assertThat(frames).extracting(SseTestClient.Frame::event)
                    .containsExactly("sessions_changed", "session_not_found", "stream_not_found");
        }
        String many = IntStream.range(0, 65).mapToObj(i -> a + i).collect(Collectors.joining(","));
        TestServer.Response r = server.get("/api/events?sessions=" + many);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asText()).isEqualTo("bad_parameter");
    }

    private void awaitSeq(String turn, long seq) {
        org.awaitility.Awaitility.await().atMost(WAIT)
                .until(() -> server.get("/api/chat/stream/status?stream_id=" + turn).json().path("last_seq").asLong() >= seq);
    }

    private static String tokens(List<SseTestClient.Frame> frames, String turn) {
        return frames.stream().filter(f -> "token".equals(f.event()) && f.id().startsWith(turn + ":"))
                .map(f -> f.json().path("text").asText()).collect(Collectors.joining());
    }

    private static List<SseTestClient.Frame> awaitUntil(SseTestClient.Connection c,
                                                        java.util.function.Predicate<SseTestClient.Frame> end, int count) {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> c.events().stream().filter(end).count() >= count);
        return c.events();
    }
}
