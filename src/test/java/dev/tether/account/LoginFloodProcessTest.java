package dev.tether.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import dev.tether.support.UserClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failed logins with huge, unique names from many addresses (each address within its own budget)
 * against a server with a small heap: nothing may be kept per name, and the server must still
 * answer a login and stream a reply afterwards.
 */
class LoginFloodProcessTest {
    static final String PASSWORD = "correct horse battery";
    /** Each name is nearly the whole 1 MiB body allowed: before names were checked, each was kept. */
    static final int NAME_CHARS = 1_000_000;
    /** 127.0.1.x: loopback addresses other than the test's own, each a stranger with its own budget. */
    static final int ADDRESSES = 12;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void hugeLoginNamesFromManyAddressesLeaveTheServerServing() throws Exception {
        try (ServerProcess server = ServerProcess.start(Files.createTempDirectory("tether-flood"),
                Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_USER", "root", "TETHER_ADMIN_PASSWORD", PASSWORD,
                        "TETHER_DEMO_TOKEN_MS", "1"),
                List.of("-Xmx128m", "-XX:+UseSerialGC"))) {
            List<Integer> statuses = flood(server.port());
            assertThat(statuses).as("every huge name was answered, never with a 500").isNotEmpty()
                    .allMatch(s -> s == 401 || s == 429);

            UserClient root = UserClient.login(server.baseUrl(), "root", PASSWORD);
            String session = root.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
            String turn = root.post("/api/chat/start", Map.of("session_id", session, "message", "hello"))
                    .json().path("stream_id").asText();
            try (SseTestClient.Connection stream = SseTestClient.open(
                    server.baseUrl() + "/api/chat/stream?stream_id=" + turn, root.headers())) {
                assertThat(stream.awaitEnd(Duration.ofSeconds(60))).as("the reply streamed to its end").isTrue();
                assertThat(stream.events()).anyMatch(e -> e.event().equals("done"));
            }
        }
    }

    /** {@code PER_ADDRESS} failed logins from each of {@link #ADDRESSES} addresses, a few at a time. */
    private static List<Integer> flood(int port) throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
            for (int a = 1; a <= ADDRESSES; a++) {
                for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
                    String from = "127.0.1." + a;
                    char mark = (char) ('a' + i);
                    answers.add(threads.submit(() -> login(from, port, mark + from + "x".repeat(NAME_CHARS))));
                }
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        }
    }

    /** One login over a socket bound to {@code from}; the status code, or -1 if the server did not answer. */
    static int login(String from, int port, String name) {
        byte[] body = ("{\"name\":\"" + name + "\",\"password\":\"not the password\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12); // "HTTP/1.1 401"
            return head.length == 12 ? Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
