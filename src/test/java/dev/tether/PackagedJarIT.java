package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.ServerProcess;
import dev.tether.support.SseTestClient;
import java.io.IOException;
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
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact as a user gets it: {@code target/tether-<version>.jar} run with {@code java -jar}
 * from a directory outside the source tree, no class path, no options. Runs after {@code package}
 * (Maven's failsafe plugin, {@code mvn verify}; {@code bin/test} does that).
 */
class PackagedJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJarRunsFromAnotherDirectoryPrintsNothingBeforeItsBannerAndStreamsADemoTurn(@TempDir Path dir) throws Exception {
        Path jar = jar();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ServerProcess server = ServerProcess.startJar(jar, dir, Map.of("TETHER_DEMO_TOKEN_MS", "2"), lines::add)) {
            assertThat(lines.getFirst()).as("the first line is the banner: no JVM warning before it")
                    .startsWith("Tether " + System.getProperty("tether.version") + " is listening on http://127.0.0.1:");
            assertThat(dir.resolve("data/tether.db")).exists();
            HttpClient http = HttpClient.newHttpClient();
            String session = post(http, server, "/api/session/new", "{}").path("session").path("session_id").asText();
            String turn = post(http, server, "/api/chat/start",
                    JSON.writeValueAsString(Map.of("session_id", session, "message", "hello from the jar"))).path("stream_id").asText();
            try (SseTestClient.Connection stream = SseTestClient.open(server.baseUrl() + "/api/chat/stream?stream_id=" + turn, Map.of())) {
                assertThat(stream.awaitEnd(Duration.ofSeconds(60))).isTrue();
                assertThat(stream.text()).isNotBlank();
                assertThat(stream.events()).extracting(SseTestClient.Frame::event).contains("done");
            }
        }
        assertThat(lines).noneMatch(l -> l.contains("WARNING") || l.contains("Exception"));
    }

    @Test
    void theJarHoldsNoTestLibraryAndSaysItsVersion() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(System.getProperty("tether.version"));
            assertThat(jar.stream().map(e -> e.getName())).as("runtime dependencies only")
                    .noneMatch(n -> n.startsWith("org/junit/") || n.startsWith("org/openqa/selenium/")
                            || n.startsWith("org/jetbrains/lincheck/") || n.startsWith("org/assertj/")
                            || n.startsWith("dev/tether/support/"))
                    .anyMatch(n -> n.equals("dev/tether/Main.class"))
                    .anyMatch(n -> n.startsWith("db/migration/postgresql/"));
        }
    }

    @Test
    void helpVersionAndAnUnknownCommandAnswerWithoutStartingAServer(@TempDir Path dir) throws IOException {
        ServerProcess.Exit help = ServerProcess.runJarToExit(jar(), dir, List.of("--help"));
        assertThat(help.status()).isZero();
        assertThat(String.join("\n", help.stdout())).startsWith("usage: tether [COMMAND]").contains("user add", "--version");
        assertThat(help.stderr()).isEmpty();

        ServerProcess.Exit version = ServerProcess.runJarToExit(jar(), dir, List.of("--version"));
        assertThat(version.status()).isZero();
        assertThat(version.stdout()).containsExactly("Tether " + System.getProperty("tether.version"));

        ServerProcess.Exit userHelp = ServerProcess.runJarToExit(jar(), dir, List.of("user", "--help"));
        assertThat(userHelp.status()).isZero();
        assertThat(userHelp.stdout()).singleElement().asString().startsWith("usage: tether user add");

        ServerProcess.Exit unknown = ServerProcess.runJarToExit(jar(), dir, List.of("serve"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.stderr().getFirst()).isEqualTo("tether: unknown command 'serve'");
        try (Stream<Path> made = Files.list(dir)) {
            assertThat(made).as("nothing was started, so no data dir was made").isEmpty();
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("tether.jar"));
        assertThat(jar).as("mvn package makes it").exists();
        return jar;
    }

    private static JsonNode post(HttpClient http, ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
