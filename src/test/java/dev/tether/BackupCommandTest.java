package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.config.CannotStart;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.support.Multipart;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.TestStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tether backup / restore: a copy taken while a reply streams restores every finished turn, byte for byte. */
class BackupCommandTest {
    private static final Map<String, String> DEMO = Map.of("TETHER_DEMO_TOKEN_MS", "2");
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aBackupTakenWhileAReplyStreamsRestoresEveryFinishedTurnAndAttachmentAndEndsTheLiveOneInterrupted() {
        Path original = tmp.resolve("original");
        Path archive = tmp.resolve("backup.zip");
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        String attachment;
        String live;
        String seenLive;
        try (TestServer server = serverOn(original, Map.of("TETHER_DEMO_TOKEN_MS", "40"))) {
            for (int i = 0; i < 3; i++) {
                String session = server.newSession();
                server.post("/api/chat/start", Map.of("session_id", session, "message", "question " + i));
                server.awaitIdle(session);
                finished.put(session, null);
            }
            String withFile = finished.keySet().iterator().next();
            attachment = server.send(Multipart.upload(server.baseUrl(), withFile, "notes.txt", "text/plain",
                    "remember the milk".getBytes(StandardCharsets.UTF_8)).build()).json().path("attachment_id").asText();
            finished.replaceAll((session, none) -> server.session(session).path("messages"));

            live = server.newSession();
            String turn = server.startTurn(live, "please write a long answer");
            try (SseTestClient.Connection stream = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
                stream.awaitEvents(5, Duration.ofSeconds(30));
                assertThat(BackupCommand.run(config(original), "backup", List.of(archive.toString()), out)).isZero();
                seenLive = stream.text();
                assertThat(server.health().path("active_turns").asInt()).as("the backup left the live turn alone").isEqualTo(1);
            }
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("Backed up 4 sessions,").contains("1 attachment files");

        Path restored = tmp.resolve("restored");
        assertThat(BackupCommand.run(config(restored), "restore", List.of(archive.toString()), out)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Restored 4 sessions,").contains("verified");
        try (TestServer server = serverOn(restored, DEMO)) {
            finished.forEach((session, messages) ->
                    assertThat(server.session(session).path("messages")).as(session).isEqualTo(messages));
            assertThat(server.get("/api/attachment?attachment_id=" + attachment).body()).isEqualTo("remember the milk");
            List<JsonNode> liveMessages = server.messages(live);
            assertThat(liveMessages).hasSize(2);
            JsonNode partial = liveMessages.get(1);
            assertThat(partial.path("status").asText()).isEqualTo("interrupted");
            assertThat(partial.path("content").asText()).as("the partial reply that was durable at the backup")
                    .isNotEmpty().satisfies(kept -> assertThat(seenLive).startsWith(kept));
        }
    }

    @Test
    void restoreRefusesADataDirThatHoldsAStoreAndBackupRefusesAnExistingFile() throws Exception {
        Path dir = tmp.resolve("dir");
        Path archive = tmp.resolve("b.zip");
        try (TestServer server = serverOn(dir, DEMO)) {
            server.newSession();
            assertThat(BackupCommand.run(config(dir), "backup", List.of(archive.toString()), out)).isZero();
            long size = Files.size(archive);
            assertThatThrownBy(() -> BackupCommand.run(config(dir), "backup", List.of(archive.toString()), out))
                    .isInstanceOf(CannotStart.class).hasMessageContaining("exists; name a new file");
            assertThat(Files.size(archive)).isEqualTo(size);
        }
        byte[] before = Files.readAllBytes(dir.resolve("tether.db"));
        assertThatThrownBy(() -> BackupCommand.run(config(dir), "restore", List.of(archive.toString()), out))
                .isInstanceOf(CannotStart.class).hasMessageContaining("already holds a store; restore into an empty one");
        assertThat(Files.readAllBytes(dir.resolve("tether.db"))).isEqualTo(before);
    }

    @Test
    void anArchiveThatIsNotABackupRestoresNothing() throws Exception {
        Path evil = tmp.resolve("evil.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(evil))) {
            zip.putNextEntry(new ZipEntry("attachments/../../escaped"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path garbage = Files.writeString(tmp.resolve("garbage.zip"), "not a zip at all");
        Path target = tmp.resolve("target");
        for (Path bad : List.of(evil, garbage)) {
            assertThatThrownBy(() -> BackupCommand.run(config(target), "restore", List.of(bad.toString()), out))
                    .isInstanceOf(CannotStart.class).hasMessageContaining("is not a Tether backup");
        }
        assertThat(target.resolve("tether.db")).doesNotExist();
        assertThat(tmp.resolve("escaped")).doesNotExist();
        try (var left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("only the lock file").containsOnly("tether.lock");
        }
    }

    @Test
    void onPostgresqlItPointsToPgDumpAndWithoutAFileItSaysHow() {
        TetherConfig postgres = new ConfigLoader(Map.of("TETHER_DATA_DIR", tmp.toString(),
                "TETHER_DATABASE_URL", "postgresql://me@127.0.0.1:5432/tether")).load();
        assertThatThrownBy(() -> BackupCommand.run(postgres, "backup", List.of("b.zip"), out))
                .isInstanceOf(CannotStart.class).hasMessageContaining("pg_dump");
        assertThat(BackupCommand.run(config(tmp), "backup", List.of(), out)).isEqualTo(2);
        assertThat(BackupCommand.run(config(tmp), "restore", List.of("--help"), out)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("usage: tether backup FILE.zip");
    }

    private static TestServer serverOn(Path dir, Map<String, String> env) {
        return TestServer.withConfiguredModels(dir, new TestStore.Sqlite(dir.resolve("tether.db")), env);
    }

    private static TetherConfig config(Path dataDir) {
        return new ConfigLoader(Map.of("TETHER_DATA_DIR", dataDir.toString())).load();
    }
}
