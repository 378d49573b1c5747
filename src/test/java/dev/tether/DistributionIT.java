package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained archive ({@code target/tether-<version>-linux-<arch>.tar.gz}, made by
 * {@code bin/build}) as a user gets it: unpacked into an empty directory and run by its own
 * {@code bin/tether} with an environment that has no Java (no JAVA_HOME, and a PATH holding only
 * the few tools the launcher uses). Runs in {@code mvn verify} when the archive exists and is
 * skipped otherwise, so the ordinary build need not link a runtime.
 */
class DistributionIT {

    @Test
    void theArchiveRunsWithoutAJdkAndStreamsADemoTurn(@TempDir Path dir) throws Exception {
        Optional<Path> archive = archive();
        assumeTrue(archive.isPresent(), "no target/tether-*-linux-*.tar.gz: bin/build makes it");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.get().toString(), "-C", dir.toString())
                .inheritIO().start();
        assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home;
        try (Stream<Path> unpacked = Files.list(dir)) {
            home = unpacked.filter(p -> p.getFileName().toString().startsWith("tether-")).findFirst().orElseThrow();
        }
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("tether.service")).exists();

        ProcessBuilder run = new ProcessBuilder(home.resolve("bin/tether").toString());
        Map<String, String> env = run.environment();
        env.clear();
        env.put("PATH", toolsOnly(dir.resolve("path")).toString());
        env.put("HOME", dir.toString());
        env.put("TETHER_DATA_DIR", dir.resolve("data").toString());
        env.put("TETHER_PORT", "0");
        env.put("TETHER_DEMO_TOKEN_MS", "2");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ServerProcess server = ServerProcess.start(run.directory(dir.toFile()), lines::add)) {
            assertThat(lines.getFirst()).startsWith("Tether " + System.getProperty("tether.version") + " is listening");
            HttpClient http = HttpClient.newHttpClient();
            String session = field(post(http, server, "/api/session/new", "{}"), "session_id");
            String turn = field(post(http, server, "/api/chat/start",
                    "{\"session_id\":\"" + session + "\",\"message\":\"hello from the archive\"}"), "stream_id");
            try (SseTestClient.Connection stream = SseTestClient.open(server.baseUrl() + "/api/chat/stream?stream_id=" + turn,
                    Map.of())) {
                assertThat(stream.awaitEnd(Duration.ofSeconds(60))).isTrue();
                assertThat(stream.text()).isNotBlank();
                assertThat(stream.events()).extracting(SseTestClient.Frame::event).contains("done");
            }
        }
        assertThat(lines).noneMatch(l -> l.contains("WARNING") || l.contains("Exception"));
    }

    /** The newest archive under target/, if bin/build made one. */
    private static Optional<Path> archive() throws IOException {
        Path target = Path.of(System.getProperty("tether.jar")).getParent();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("tether-.*-linux-.*\\.tar\\.gz"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
        }
    }

    /** A PATH directory with the launcher's tools (sh, dirname, readlink) and nothing else: no java. */
    private static Path toolsOnly(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String tool : List.of("sh", "dirname", "readlink")) {
            for (String from : List.of("/usr/bin/", "/bin/")) {
                if (Files.isExecutable(Path.of(from + tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), Path.of(from + tool));
                    break;
                }
            }
        }
        return bin;
    }

    private static String post(HttpClient http, ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }
}
