package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.CannotStart;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tether started on TETHER_DATABASE_URL: a whole turn lands in PostgreSQL; a second owner and a bad server are refused in one line. */
class TetherOnPostgresTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTurnOverHttpLandsInPostgresql() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database();
             Tether tether = Tether.start(config(Files.createTempDirectory("tether-pg"), libpq(db)), models())) {
            String base = "http://127.0.0.1:" + tether.port();
            String session = post(base, "/api/session/new", "{}").path("session").path("session_id").asText();
            String turn = post(base, "/api/chat/start", JSON.writeValueAsString(
                    Map.of("session_id", session, "message", "hello postgres"))).path("stream_id").asText();
            try (SseTestClient.Connection c = SseTestClient.open(base + "/api/chat/stream?stream_id=" + turn, Map.of())) {
                assertThat(c.awaitEnd(Duration.ofSeconds(30))).isTrue();
            }
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null);
                 PreparedStatement q = c.prepareStatement("SELECT m.role, m.content, t.state FROM messages m"
                         + " JOIN turns t ON t.session_id = m.session_id WHERE m.session_id = ? ORDER BY m.idx")) {
                q.setString(1, session);
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("content")).isEqualTo("hello postgres");
                    assertThat(rs.getString("state")).isEqualTo("completed");
                    assertThat(rs.next()).as("the reply is stored").isTrue();
                    assertThat(rs.getString("role")).isEqualTo("assistant");
                    assertThat(rs.getString("content")).isNotBlank();
                }
            }
        }
    }

    /** Several instances share one database: a second one starts beside the first, and each sees what the other wrote. */
    @Test
    void aSecondTetherOnTheSameDatabaseRunsBesideTheFirst() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database();
             Tether first = Tether.start(config(Files.createTempDirectory("tether-pg1"), libpq(db)), models());
             Tether second = Tether.start(config(Files.createTempDirectory("tether-pg2"), libpq(db)), models())) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + first.port() + "/api/session/new"))
                    .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:" + first.port())
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String listed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port()
                    + "/api/sessions")).build(), HttpResponse.BodyHandlers.ofString()).body();
            String sessionId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body())
                    .path("session").path("session_id").asText(null);
            assertThat(sessionId).as(created.body()).isNotBlank();
            assertThat(listed).contains(sessionId);
        }
    }

    @Test
    void anUnreachableServerIsOneLineAndLeavesNothingRunning() throws Exception {
        Path dir = Files.createTempDirectory("tether-pg-nowhere");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        assertThatThrownBy(() -> Tether.start(config(dir, "postgresql://app:pw-never-shown@127.0.0.1:1/tether"), models()))
                .isInstanceOf(CannotStart.class)
                .hasMessageStartingWith("cannot reach PostgreSQL at jdbc:postgresql://app@127.0.0.1:1/tether: ")
                .message().doesNotContain("\n").doesNotContain("pw-never-shown");
        TetherStartStopTest.awaitNoOwnThreads(before);
        assertThat(dir.resolve("tether.db")).as("no SQLite file either").doesNotExist();
        try (Tether sqlite = Tether.start(config(dir, null), models())) {
            assertThat(sqlite.port()).as("the data dir lock was released").isPositive();
        }
    }

    static String libpq(TestPostgres.Fresh db) {
        return "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + db.port() + "/" + db.name();
    }

    private static TetherConfig config(Path dir, String databaseUrl) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("TETHER_DATA_DIR", dir.toString(), "TETHER_PORT", "0",
                "TETHER_DEMO_TOKEN_MS", "0"));
        if (databaseUrl != null) {
            env.put("TETHER_DATABASE_URL", databaseUrl);
        }
        return new ConfigLoader(env).load();
    }

    private static ModelCatalog models() {
        return ModelCatalog.from(new ConfigLoader(Map.of("TETHER_DATA_DIR", System.getProperty("java.io.tmpdir"),
                "TETHER_DEMO_TOKEN_MS", "0")).load());
    }

    private JsonNode post(String base, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
