package dev.tether.scenario;

import static dev.tether.support.TurnLogAssertions.assertWholeTurn;
import static dev.tether.support.TurnLogAssertions.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 15: "Network blip: EventSource reconnects with Last-Event-ID; gapless, no
 * duplicates."
 */
class S15_NetworkBlipTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();

    @Test
    void aBlipBetweenTwoEventsLosesAndRepeatsNothing() {
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        ScriptedModel.Call call = model.nextCall(WAIT);
        List<SseTestClient.Frame> seen = new ArrayList<>();
        try (SseTestClient.Connection first = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            call.emit("a");
            seen.addAll(first.awaitEvents(1, WAIT));
        }
        call.emit("b");
        try (SseTestClient.Connection again = server.stream("/api/chat/stream?stream_id=" + turn,
                Map.of("Last-Event-ID", seen.getLast().id()))) {
            again.awaitEvents(1, WAIT);
            call.emit("c").finish();
            assertThat(again.awaitEnd(WAIT)).isTrue();
            seen.addAll(again.events());
        }
        assertWholeTurn(turn, seen);
        assertThat(text(seen)).isEqualTo("abc");
    }

    /**
     * A long reply (more events than the live window holds) while the client drops and
     * reconnects at random points, many times: the pieces put together are exactly 1..n.
     */
    @Test
    void stressManyBlipsDuringALongReply() throws Exception {
        int tokens = 10_000;
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        ScriptedModel.Call call = model.nextCall(WAIT);
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < tokens; i++) {
                call.emit("t" + i + " ");
            }
            call.finish();
        });
        List<SseTestClient.Frame> seen = new ArrayList<>();
        int reconnects = 0;
        boolean ended = false;
        while (!ended) {
            Map<String, String> cursor = seen.isEmpty() ? Map.of() : Map.of("Last-Event-ID", seen.getLast().id());
            int want = ThreadLocalRandom.current().nextInt(1, 1500);
            try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + turn, cursor)) {
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(WAIT)
                        .until(() -> c.events().size() >= want || c.awaitEnd(Duration.ZERO));
                List<SseTestClient.Frame> got = c.events();
                if (!got.isEmpty() && !seen.isEmpty()) {
                    assertThat(got.getFirst().seq()).as("first event after reconnect").isEqualTo(seen.getLast().seq() + 1);
                }
                seen.addAll(got);
                ended = got.stream().anyMatch(f -> f.event().equals("stream_end"));
            }
            reconnects++;
        }
        writer.join(WAIT.toMillis());
        assertThat(reconnects).isGreaterThan(5);
        assertWholeTurn(turn, seen);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            expected.append("t").append(i).append(' ');
        }
        assertThat(text(seen)).isEqualTo(expected.toString());
        server.awaitIdle(session);
        assertThat(server.messages(session).get(1).path("content").asText()).isEqualTo(expected.toString());
    }
}
