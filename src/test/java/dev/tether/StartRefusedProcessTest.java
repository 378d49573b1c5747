package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.store.sqlite.DataDirLock;
import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Real processes on one data dir: the second is refused before it reads or writes anything (boot
 * recovery would end the first one's live turn), a taken port is one line, and a SIGKILLed holder
 * leaves the dir free.
 */
class StartRefusedProcessTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    /** A demo reply of about a hundred tokens at one a second: it outlives a second JVM's start. */
    static final Map<String, String> SLOW_DEMO = Map.of("TETHER_DEMO_TOKEN_MS", "1000", "TETHER_HEARTBEAT_MS", "500");
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSecondServerOnTheSameDataDirSaysWhoHasItAndChangesNothing() throws Exception {
        Path data = Files.createTempDirectory("tether-owner");
        try (ServerProcess first = ServerProcess.start(data, SLOW_DEMO)) {
            String session = post(first, "/api/session/new", "{}").path("session").path("session_id").asText();
            String turn = post(first, "/api/chat/start", JSON.writeValueAsString(
                    Map.of("session_id", session, "message", "please write a long answer"))).path("stream_id").asText();
            try (SseTestClient.Connection stream = SseTestClient.open(first.baseUrl() + "/api/chat/stream?stream_id=" + turn, Map.of())) {
                int seen = stream.awaitEvents(2, WAIT).size();
                List<String> files = names(data);

                // The accident: the same command again, same data dir, same port.
                ServerProcess.Exit second = ServerProcess.runToExit(data,
                        Map.of("TETHER_PORT", String.valueOf(first.port())), List.of());

                assertThat(second.status()).isNotZero();
                assertThat(second.stderr()).containsExactly("Tether: data dir " + data.toRealPath()
                        + " is in use by PID " + first.pid() + " (another Tether running?)");
                assertThat(second.stdout()).isEmpty();
                JsonNode status = get(first, "/api/chat/stream/status?stream_id=" + turn);
                assertThat(status.path("terminal").asBoolean()).as(status.toString()).isFalse();
                assertThat(status.path("active").asBoolean()).as(status.toString()).isTrue();
                assertThat(get(first, "/api/session?session_id=" + session).path("session")
                        .path("is_streaming").asBoolean()).isTrue();
                assertThat(stream.awaitEvents(seen + 1, WAIT)).as("the first server still streams the turn")
                        .hasSizeGreaterThan(seen);
                assertThat(stream.events()).noneMatch(e -> List.of("done", "cancel", "apperror").contains(e.event()));
                assertThat(names(data)).isEqualTo(files);
            }
        }
    }

    @Test
    void userCommandsWaitForTheServerToStop() throws Exception {
        Path data = Files.createTempDirectory("tether-owner");
        try (ServerProcess server = ServerProcess.start(data, Map.of())) {
            ServerProcess.Exit user = ServerProcess.runToExit(data, Map.of(), List.of("user", "list"));

            assertThat(user.status()).isNotZero();
            assertThat(user.stderr()).containsExactly("Tether: data dir " + data.toRealPath() + " is in use by PID "
                    + server.pid() + " (another Tether running?); manage users on that server's settings page"
                    + " (/settings.html), or stop it and run this again");
        }
        ServerProcess.Exit stopped = ServerProcess.runToExit(data, Map.of(), List.of("user", "list"));
        assertThat(stopped.status()).as(stopped.toString()).isZero();
    }

    @Test
    void aTakenPortIsOneLine() throws Exception {
        Path data = Files.createTempDirectory("tether-port");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerProcess.Exit run = ServerProcess.runToExit(data,
                    Map.of("TETHER_PORT", String.valueOf(taken.getLocalPort())), List.of());

            assertThat(run.status()).isNotZero();
            assertThat(run.stderr()).containsExactly("Tether: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use (set TETHER_PORT to a free port)");
            assertThat(Stream.concat(run.stdout().stream(), run.stderr().stream()))
                    .noneMatch(line -> line.contains("Exception") || line.contains("at dev.") || line.startsWith("\tat "));
        }
        // What started before the port failed was stopped: the dir is free again.
        try (ServerProcess next = ServerProcess.start(data, Map.of())) {
            assertThat(get(next, "/health").path("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aKilledHolderLeavesTheDataDirFree() throws Exception {
        Path data = Files.createTempDirectory("tether-owner");
        try (ServerProcess first = ServerProcess.start(data, Map.of())) {
            first.kill();
        }
        try (ServerProcess second = ServerProcess.start(data, Map.of())) {
            assertThat(get(second, "/health").path("status").asText()).isEqualTo("ok");
            assertThat(Files.readString(data.resolve(DataDirLock.FILE)).trim()).isEqualTo(String.valueOf(second.pid()));
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private JsonNode post(ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode get(ServerProcess server, String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
