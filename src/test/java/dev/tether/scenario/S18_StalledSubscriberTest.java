package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SCENARIOS.md 18: a subscriber that stops reading (a stalled tab) does not slow the turn or other
 * subscribers; when it reads again it continues from the journal, gapless, to the end.
 */
class S18_StalledSubscriberTest {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final int TOKENS = 12_000;
    static final String TOKEN = "x".repeat(1000);

    @Test
    void aStalledReaderNeitherBlocksTheTurnNorOthersAndCatchesUpFromTheJournal() throws Exception {
        String[] tokens = new String[TOKENS];
        java.util.Arrays.fill(tokens, TOKEN);
        TestServer fast = TestServer.with(ScriptedModel.autoReply(tokens));
        try {
            String session = fast.newSession();
            try (Socket stalled = new Socket()) {
                // A small window, set before connecting, so the 12 MB reply cannot hide in socket buffers.
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new java.net.InetSocketAddress("127.0.0.1",
                        Integer.parseInt(fast.baseUrl().replaceAll(".*:", ""))));
                // Start the turn, then attach a reader that reads nothing.
                String turn = fast.startTurn(session, "go");
                OutputStream out = stalled.getOutputStream();
                out.write(("GET /api/chat/stream?stream_id=" + turn + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();

                // The turn finishes and a second subscriber gets everything while the first reads nothing.
                try (SseTestClient.Connection other = fast.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                    assertThat(other.awaitEnd(WAIT)).isTrue();
                    assertThat(other.events()).hasSize(TOKENS + 3); // tokens, usage, done, stream_end
                }
                assertThat(fast.session(session).path("is_streaming").asBoolean()).isFalse();

                // Now the stalled tab reads (HTTP/1.0: no chunk framing): every seq from 1, in order, to stream_end.
                List<Long> seqs = new ArrayList<>();
                BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
                String line;
                String lastEvent = null;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("id: ")) {
                        seqs.add(Long.parseLong(line.substring(line.lastIndexOf(':') + 1)));
                    } else if (line.startsWith("event: ")) {
                        lastEvent = line.substring(7);
                        if (lastEvent.equals("stream_end")) {
                            break;
                        }
                    }
                }
                assertThat(lastEvent).isEqualTo("stream_end");
                assertThat(seqs).hasSize(TOKENS + 3);
                for (int i = 0; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).isEqualTo(i + 1L);
                }
            }
        } finally {
            fast.close();
        }
    }
}
