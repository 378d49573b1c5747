package dev.tether.web.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live connection's slot is free as soon as the client closes it, not at the next heartbeat:
 * with a 10 s heartbeat and one slot per user, a closed tab's slot is taken again well before a
 * heartbeat could have found the connection gone.
 */
class StreamSlotFreedOnCloseTest {
    private final ScriptedModel model = ScriptedModel.manual();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.with(model, Map.of("TETHER_HEARTBEAT_MS", "10000",
                "TETHER_STREAMS_PER_USER", "1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/sessions/events", "/api/events", "/api/session/stream?session_id=", "/api/chat/stream?stream_id="})
    void theSlotOfAClosedConnectionIsFreeAtOnce(String route) throws Exception {
        String session = server.newSession();
        String path = route.endsWith("session_id=") ? route + session
                : route.endsWith("stream_id=") ? route + runningTurn(session) : route;
        try (Socket tab = new Socket("127.0.0.1", server.tether().port())) {
            tab.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            readUntil(tab.getInputStream(), ": connected");
            try (SseTestClient.Connection refused = server.stream("/api/sessions/events", Map.of())) {
                assertThat(refused.status()).isEqualTo(429);
            }
        } // the tab closes its connection
        await().atMost(Duration.ofSeconds(4)).until(() -> {
            try (SseTestClient.Connection again = server.stream("/api/sessions/events", Map.of())) {
                return again.status() == 200;
            }
        });
    }

    @Test
    void aConnectionWhoseStreamEndedServesItsNextRequest() throws Exception {
        String session = server.newSession();
        String turn = runningTurn(session);
        model.nextCall(Duration.ofSeconds(10)).emit("done").finish();
        server.awaitIdle(session);
        try (Socket tab = new Socket("127.0.0.1", server.tether().port())) {
            tab.getOutputStream().write(("GET /api/chat/stream?stream_id=" + turn + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            readUntil(tab.getInputStream(), "\r\n0\r\n\r\n"); // the replayed stream, ended: its last chunk
            tab.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(tab.getInputStream(), "HTTP/1.1 200");
        }
    }

    /** A turn that stays running (the model never answers) so that its stream stays open. */
    private String runningTurn(String session) {
        return server.startTurn(session, "wait");
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before '" + marker + "': " + seen);
            }
            seen.append((char) b);
        }
    }
}
