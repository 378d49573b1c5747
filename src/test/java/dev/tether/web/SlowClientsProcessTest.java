package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris against a server process with a small heap: connections that trickle header lines are
 * closed at the header deadline, one address gets only its share of connections, and the server
 * answers /health and streams a reply throughout.
 */
class SlowClientsProcessTest {
    static final int PER_ADDRESS = 50;
    static final int SLOW = 120;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void tricklingClientsAreCutOffAndTheServerKeepsServing() throws Exception {
        try (ServerProcess server = ServerProcess.start(Files.createTempDirectory("tether-slow"),
                Map.of("TETHER_HEADER_TIMEOUT_MS", "10000", "TETHER_CONNECTIONS_PER_ADDRESS", String.valueOf(PER_ADDRESS),
                        "TETHER_DEMO_TOKEN_MS", "1"),
                List.of("-Xmx128m", "-XX:+UseSerialGC"))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress("127.0.2.1", 0)); // one stranger's address
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                assertThat(health(server)).as("/health while the slow clients hang on").isEqualTo(200);
                // Beyond the address's share: closed at once, long before the header deadline. Which
                // ones is the server's order of accepting them, not necessarily the order they connected.
                Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> closed(slow) >= SLOW - PER_ADDRESS);
                assertThat(closed(slow)).as("only the connections beyond the share, before the deadline")
                        .isEqualTo(SLOW - PER_ADDRESS);
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> slow.stream().allMatch(s -> trickle(s)));
                assertThat(health(server)).isEqualTo(200);
                String session = post(server, "/api/session/new", "{}");
                String sessionId = session.replaceAll(".*\"session_id\":\"([^\"]+)\".*", "$1");
                String turn = post(server, "/api/chat/start", "{\"session_id\":\"" + sessionId + "\",\"message\":\"hi\"}")
                        .replaceAll(".*\"stream_id\":\"([^\"]+)\".*", "$1");
                try (SseTestClient.Connection stream = SseTestClient.open(
                        server.baseUrl() + "/api/chat/stream?stream_id=" + turn, Map.of())) {
                    assertThat(stream.awaitEnd(Duration.ofSeconds(30))).isTrue();
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    private static long closed(List<Socket> sockets) {
        return sockets.stream().filter(s -> closedWithin(s, Duration.ofMillis(1))).count();
    }

    /** Sends one more header line; true once the server has closed the connection. */
    private static boolean trickle(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return closedWithin(s, Duration.ofMillis(1));
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean closedWithin(Socket s, Duration wait) {
        try {
            s.setSoTimeout((int) Math.max(1, wait.toMillis()));
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int health(ServerProcess server) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String post(ServerProcess server, String path, String json) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
