package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The real server process on TETHER_DATABASE_URL: SIGKILLed mid-reply and started again, the turn
 * is interrupted with its partial reply kept (scenario 24 on PostgreSQL); a second process on the
 * same database is refused in one line and the first streams on; {@code user} works on PostgreSQL.
 */
class PostgresProcessTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void killedMidReplyThenRestartedTheTurnIsInterruptedWithItsPartialKept() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            Map<String, String> env = env(db);
            String session;
            String seenBeforeKill;
            List<String> output = new CopyOnWriteArrayList<>();
            Path dir = Files.createTempDirectory("tether-pgkill");
            try (ServerProcess first = ServerProcess.start(dir, env, List.of(), output::add)) {
                Awaitility.await("the start banner").atMost(WAIT).untilAsserted(() -> assertThat(output).contains(
                        "Data: " + dir + " (PostgreSQL jdbc:postgresql://postgres@127.0.0.1:" + db.port() + "/" + db.name()
                        + ", attachments in the database)"));
                session = post(first, "/api/session/new", "{}").path("session").path("session_id").asText();
                String turn = start(first, session, "please write a long answer");
                try (SseTestClient.Connection c = SseTestClient.open(first.baseUrl() + "/api/chat/stream?stream_id=" + turn, Map.of())) {
                    c.awaitEvents(12, WAIT);
                    seenBeforeKill = c.text();
                    first.kill();
                }
            }
            try (ServerProcess second = ServerProcess.start(Files.createTempDirectory("tether-pgkill2"), env)) {
                JsonNode s = get(second, "/api/session?messages=1&session_id=" + session).path("session");
                assertThat(s.path("is_streaming").asBoolean()).isFalse();
                JsonNode messages = s.path("messages");
                assertThat(messages).hasSize(2);
                assertThat(messages.get(0).path("content").asText()).isEqualTo("please write a long answer");
                assertThat(messages.get(1).path("status").asText()).isEqualTo("interrupted");
                String kept = messages.get(1).path("content").asText();
                assertThat(kept).isNotEmpty();
                assertThat(seenBeforeKill).startsWith(kept);
            }
        }
    }

    /**
     * The founding bug across processes, now that several instances may share a database: a second
     * process starting on it takes over only dead instances' turns, never a live one's.
     */
    @Test
    void aSecondProcessOnTheSameDatabaseLeavesTheFirstOnesReplyAlone() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database();
             ServerProcess first = ServerProcess.start(Files.createTempDirectory("tether-pgfirst"), slowEnv(db))) {
            String session = post(first, "/api/session/new", "{}").path("session").path("session_id").asText();
            String turn = start(first, session, "please write a long answer");
            try (SseTestClient.Connection stream = SseTestClient.open(first.baseUrl() + "/api/chat/stream?stream_id=" + turn, Map.of());
                 ServerProcess second = ServerProcess.start(Files.createTempDirectory("tether-pgsecond"), slowEnv(db))) {
                stream.awaitEvents(3, WAIT);
                int seen = stream.events().size();
                assertThat(get(second, "/api/session?session_id=" + session).path("session")
                        .path("is_streaming").asBoolean()).as("the turn was not ended by the second process").isTrue();
                assertThat(stream.awaitEvents(seen + 1, WAIT)).as("the first server still streams the turn")
                        .hasSizeGreaterThan(seen);
                assertThat(stream.events()).noneMatch(e -> List.of("cancel", "apperror").contains(e.event()));
            }
        }
    }

    @Test
    void theUserCommandWorksOnPostgresqlAlsoWhileAServerRuns() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            Map<String, String> env = new java.util.HashMap<>(env(db));
            env.put("TETHER_PASSWORD", "a-long-password");
            ServerProcess.Exit added = ServerProcess.runToExit(Files.createTempDirectory("tether-pguser"), env,
                    List.of("user", "add", "--admin", "ada"));
            assertThat(added.stdout()).containsExactly("Created admin ada.");
            try (ServerProcess server = ServerProcess.start(Files.createTempDirectory("tether-pgsrv"), env)) {
                ServerProcess.Exit beside = ServerProcess.runToExit(Files.createTempDirectory("tether-pguser2"), env,
                        List.of("user", "list"));
                assertThat(beside.stdout()).as("the database is shared, not owned").containsExactly("ada (admin)");
            }
            ServerProcess.Exit listed = ServerProcess.runToExit(Files.createTempDirectory("tether-pguser3"), env,
                    List.of("user", "list"));
            assertThat(listed.stdout()).containsExactly("ada (admin)");
        }
    }

    @Test
    void anUnreachableOrWrongUrlIsOneLineWithoutThePassword() throws Exception {
        Path dir = Files.createTempDirectory("tether-pgbad");
        ServerProcess.Exit unreachable = ServerProcess.runToExit(dir,
                Map.of("TETHER_DATABASE_URL", "postgresql://app:secret-pw-1@127.0.0.1:1/tether"), List.of());
        assertThat(unreachable.status()).isEqualTo(1);
        assertThat(unreachable.stderr()).singleElement().asString()
                .startsWith("Tether: cannot reach PostgreSQL at jdbc:postgresql://app@127.0.0.1:1/tether: ")
                .doesNotContain("secret-pw-1");
        assertThat(unreachable.stdout()).isEmpty();
        ServerProcess.Exit wrong = ServerProcess.runToExit(dir,
                Map.of("TETHER_DATABASE_URL", "mysql://app:secret-pw-1@127.0.0.1/tether"), List.of());
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(String.join("\n", wrong.stderr())).contains("TETHER_DATABASE_URL must be").doesNotContain("secret-pw-1");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("nothing but the lock file").containsOnly("tether.lock");
        }
    }

    /** Each process gets a data dir of its own: a refusal here is the database's, not the data dir's. */
    private static Map<String, String> env(TestPostgres.Fresh db) {
        return Map.of("TETHER_DATABASE_URL", TetherOnPostgresTest.libpq(db), "TETHER_DEMO_TOKEN_MS", "40",
                "TETHER_HEARTBEAT_MS", "500");
    }

    /** As {@link #env}, with a reply slow enough to outlast another process's start on a busy machine. */
    private static Map<String, String> slowEnv(TestPostgres.Fresh db) {
        Map<String, String> env = new java.util.HashMap<>(env(db));
        env.put("TETHER_DEMO_TOKEN_MS", "400");
        return env;
    }

    private String start(ServerProcess server, String session, String message) throws Exception {
        JsonNode r = post(server, "/api/chat/start", JSON.writeValueAsString(Map.of("session_id", session, "message", message)));
        return r.path("stream_id").asText();
    }

    private JsonNode post(ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
