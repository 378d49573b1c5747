package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.ScriptedTether;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCENARIOS.md 16: "Cursor rules: explicit query cursor beats the header; a cursor of another
 * turn, garbage, or ahead of the log → replay from start; cursor equal to the last event → only
 * what follows."
 */
class S16_CursorRulesTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ScriptedTether tether = new ScriptedTether();
    final ScriptedModel model = tether.model();
    final TestServer server = tether.server();
    String finished;     // a completed turn: token, token, token, done, stream_end = seq 1..5
    String running;      // a running turn with three tokens so far: seq 1..3
    ScriptedModel.Call call;

    @BeforeEach
    void twoTurns() {
        String a = server.newSession();
        finished = server.startTurn(a, "a");
        model.nextCall(WAIT).emit("x").emit("y").emit("z").finish();
        server.awaitIdle(a);
        assertThat(server.replay(finished)).hasSize(5);
        running = server.startTurn(server.newSession(), "b");
        call = model.nextCall(WAIT);
        call.emit("1").emit("2").emit("3");
        // Events are shown once durable (a journal batch later); cursors below name seqs a client has seen.
        Awaitility.await().atMost(WAIT).until(() ->
                server.get("/api/chat/stream/status?stream_id=" + running).json().path("last_seq").asLong() == 3);
    }

    @Test
    void queryCursorBeatsTheHeader() {
        assertFirstSeq("&after_seq=2", Map.of("Last-Event-ID", running + ":0"), 3);
        assertFirstSeq("&after_event_id=" + running + ":2", Map.of("Last-Event-ID", running + ":1"), 3);
        assertFirstSeq("&replay=1", Map.of("Last-Event-ID", running + ":2"), 1);
        assertFirstSeq("", Map.of("Last-Event-ID", running + ":2"), 3);
    }

    @Test
    void foreignGarbageOrAheadCursorsReplayFromTheStart() {
        for (String bad : List.of(finished + ":2", "garbage", running + ":abc", running + ":", ":2", running + ":99",
                running + ":-5")) {
            assertFirstSeq("", Map.of("Last-Event-ID", bad), 1);
        }
        assertFirstSeq("&after_seq=abc", Map.of("Last-Event-ID", running + ":2"), 1);
        assertFirstSeq("&after_seq=99", Map.of(), 1);
        assertFirstSeq("&after_event_id=" + finished + ":1", Map.of(), 1);
        assertFirstSeq("&after_event_id=nonsense", Map.of("Last-Event-ID", running + ":2"), 1);
    }

    @Test
    void cursorAtTheLastEventGetsOnlyWhatFollows() {
        try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + running,
                Map.of("Last-Event-ID", running + ":3"))) {
            call.emit("4");
            assertThat(c.awaitEvents(1, WAIT).getFirst().id()).isEqualTo(running + ":4");
            call.finish();
            assertThat(c.awaitEnd(WAIT)).isTrue();
            assertThat(c.events()).extracting(SseTestClient.Frame::seq).containsExactly(4L, 5L, 6L);
            assertThat(c.events()).extracting(SseTestClient.Frame::event).containsExactly("token", "done", "stream_end");
        }
        // On a finished turn the same cursor means: nothing more, and the stream closes.
        try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + finished,
                Map.of("Last-Event-ID", finished + ":5"))) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.awaitEnd(WAIT)).isTrue();
            assertThat(c.events()).isEmpty();
        }
        try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + finished + "&after_seq=3",
                Map.of())) {
            assertThat(c.awaitEnd(WAIT)).isTrue();
            assertThat(c.events()).extracting(SseTestClient.Frame::seq).containsExactly(4L, 5L);
        }
    }

    /** Opens with the cursor, checks where it starts, and that it then runs gapless to the end. */
    private void assertFirstSeq(String query, Map<String, String> headers, long expectedFirst) {
        try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + running + query, headers)) {
            List<SseTestClient.Frame> events = c.awaitEvents((int) (4 - expectedFirst), WAIT);
            assertThat(events.getFirst().seq()).as("%s %s", query, headers).isEqualTo(expectedFirst);
            assertThat(events).extracting(SseTestClient.Frame::seq).as("%s %s", query, headers)
                    .containsExactlyElementsOf(seqs(expectedFirst, 3));
        }
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
