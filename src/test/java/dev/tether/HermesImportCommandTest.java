package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.support.ServerProcess;
import dev.tether.support.TestServer;
import dev.tether.support.TestStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tether import-hermes: session files written as hermes-webui's {@code Session.save} writes them
 * (its {@code __dict__} as JSON) are imported into a fresh data dir; a server on it then lists them.
 */
class HermesImportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LIMITS = Map.of("TETHER_MAX_MESSAGE_CHARS", "2000");
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void importsEachReadableFileAndRefusesTheMalformedAndOversizedOnesWhole() throws Exception {
        Path hermes = Files.createDirectories(tmp.resolve("hermes/sessions"));
        write(hermes, "a1.json", session("a1", "Trip to Lisbon", List.of(
                message("user", "Where should I stay?"),
                message("assistant", "Alfama is lovely."))));
        write(hermes, "b2.json", session("b2", "Parts", List.of(
                message("system", "be brief"),
                message("user", List.of(Map.of("type", "text", "text", "look at "),
                        Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64,AAAA")),
                        Map.of("type", "text", "text", "this"))),
                message("assistant", List.of(Map.of("type", "text", "text", "A cat.")), Map.of("reasoning", "pixels")))));
        Map<String, Object> call = new LinkedHashMap<>(message("assistant", null));
        call.put("tool_calls", List.of(Map.of("id", "c1", "type", "function",
                "function", Map.of("name", "clock", "arguments", "{\"tz\":\"UTC\"}"))));
        Map<String, Object> result = new LinkedHashMap<>(message("tool", "12:00"));
        result.put("tool_call_id", "c1");
        write(hermes, "c3.json", session("c3", "Tools", List.of(message("user", "What time is it?"), call, result,
                message("assistant", "It is noon."))));
        write(hermes, "d4.json", session("d4", "Ünïcødé 日本語 🚀", List.of(
                message("user", "こんにちは 👋"), message("assistant", "Привет, мир ✓"))));
        write(hermes, "e5.json", session("e5", "Untitled", List.of()));
        Files.writeString(hermes.resolve("f6.json"), "{\"session_id\": \"f6\", \"messages\": [");
        write(hermes, "g7.json", session("g7", "Huge", List.of(message("user", "x".repeat(2001)))));
        write(hermes, "h8.json", session("h8", "Bad role", List.of(message("user", "ok"), Map.<String, Object>of("content", "no role"))));
        Files.writeString(hermes.resolve("_index.json"), "[]"); // hermes-webui's own index, not a session

        Path data = tmp.resolve("data");
        int status = HermesImportCommand.run(config(data), List.of(tmp.resolve("hermes").toString()), out);
        String report = printed.toString(StandardCharsets.UTF_8);
        assertThat(status).as(report).isEqualTo(1);
        assertThat(report).contains("Imported 4 sessions (9 messages).", "Skipped 4 files:",
                "e5.json: no user or assistant messages",
                "f6.json: refused, nothing imported: not JSON",
                "g7.json: refused, nothing imported: message 1 is longer than 2000 characters",
                "h8.json: refused, nothing imported: message 2 has no 'role'",
                "1 tool results, 1 system messages", "1 non-text content parts", "workspace=").doesNotContain("timestamp", "created_at")
                .doesNotContain("_index.json");

        try (TestServer server = TestServer.withConfiguredModels(data, new TestStore.Sqlite(data.resolve("tether.db")),
                LIMITS)) {
            Map<String, String> byTitle = new HashMap<>();
            server.get("/api/sessions").json().path("sessions")
                    .forEach(s -> byTitle.put(s.path("title").asText(), s.path("session_id").asText()));
            assertThat(byTitle).containsOnlyKeys("Trip to Lisbon (imported)", "Parts (imported)", "Tools (imported)",
                    "Ünïcødé 日本語 🚀 (imported)");
            JsonNode lisbon = server.session(byTitle.get("Trip to Lisbon (imported)"));
            assertThat(lisbon.path("updated_at").asText()).as(lisbon.toString()).isEqualTo("2025-11-24T16:01:40.500Z");
            assertThat(server.messages(byTitle.get("Trip to Lisbon (imported)")).getFirst().path("created_at").asText())
                    .isEqualTo("2025-11-24T16:00:50Z");
            assertThat(contents(server, byTitle.get("Trip to Lisbon (imported)")))
                    .containsExactly("Where should I stay?", "Alfama is lovely.");
            assertThat(contents(server, byTitle.get("Parts (imported)"))).containsExactly("look at this", "A cat.");
            assertThat(server.messages(byTitle.get("Parts (imported)")).get(1).path("reasoning").asText()).isEqualTo("pixels");
            assertThat(contents(server, byTitle.get("Tools (imported)"))).containsExactly("What time is it?",
                    "[tool call] clock({\"tz\":\"UTC\"})", "It is noon.");
            assertThat(contents(server, byTitle.get("Ünïcødé 日本語 🚀 (imported)")))
                    .containsExactly("こんにちは 👋", "Привет, мир ✓");
        }
    }

    @Test
    void badUsageSaysHowAndALoginServerNeedsAKnownUser() throws Exception {
        Path data = tmp.resolve("data");
        assertThat(HermesImportCommand.run(config(data), List.of(), out)).isEqualTo(2);
        assertThat(HermesImportCommand.run(config(data), List.of(tmp.resolve("missing").toString()), out)).isEqualTo(2);
        assertThat(HermesImportCommand.run(config(data), List.of("--help"), out)).isZero();
        TetherConfig login = new ConfigLoader(Map.of("TETHER_DATA_DIR", data.toString(), "TETHER_AUTH", "on"))
                .load();
        Path hermes = Files.createDirectories(tmp.resolve("hermes"));
        write(hermes, "a.json", session("a", "Hi", List.of(message("user", "hi"))));
        assertThat(HermesImportCommand.run(login, List.of(hermes.toString()), out)).as("no --user").isEqualTo(2);
        assertThat(HermesImportCommand.run(login, List.of(hermes.toString(), "--user", "nobody"), out)).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("usage: tether import-hermes", "is not a directory",
                "no user nobody");
    }

    @Test
    void theTetherCommandRunsItAndRefusesWhileAServerHoldsTheDataDir() throws Exception {
        Path hermes = Files.createDirectories(tmp.resolve("hermes"));
        write(hermes, "a.json", session("a", "From the shell", List.of(message("user", "hi"), message("assistant", "ho"))));
        Path data = tmp.resolve("data");
        ServerProcess.Exit done = ServerProcess.runToExit(data, Map.of(), List.of("import-hermes", hermes.toString()));
        assertThat(done.status()).as(String.join("\n", done.stdout()) + done.stderr()).isZero();
        assertThat(done.stdout()).contains("Imported 1 sessions (2 messages).");
        assertThat(ServerProcess.runToExit(data, Map.of(), List.of("import-hermes")).status()).isEqualTo(2);
        try (TestServer server = TestServer.withConfiguredModels(data, new TestStore.Sqlite(data.resolve("tether.db")),
                Map.of())) {
            ServerProcess.Exit busy = ServerProcess.runToExit(data, Map.of(), List.of("import-hermes", hermes.toString()));
            assertThat(busy.status()).isEqualTo(1);
            assertThat(String.join("\n", busy.stderr())).contains("Import button");
            assertThat(server.get("/api/sessions").json().path("sessions")).as("nothing imported twice").hasSize(1);
        }
    }

    @Test
    void theUploadReadsAHermesFileTheSameWay() {
        try (TestServer server = TestServer.withConfiguredModels(LIMITS)) {
            Map<String, Object> call = new LinkedHashMap<>(message("assistant", "Let me check."));
            call.put("tool_calls", List.of(Map.of("function", Map.of("name", "calc", "arguments", "1+1"))));
            TestServer.Response r = server.post("/api/session/import", session("z", "Uploaded", List.of(
                    message("user", "sum?"), call, message("tool", "2"), message("assistant", "2"))));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(contents(server, r.json().path("session").path("session_id").asText()))
                    .containsExactly("sum?", "Let me check.\n\n[tool call] calc(1+1)", "2");
            TestServer.Response bad = server.post("/api/session/import", Map.of("session_id", "y",
                    "messages", List.of(Map.of("role", "user", "content", 5))));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("error").asText()).contains("hermes-webui", "message 1");
        }
    }

    private static List<String> contents(TestServer server, String session) {
        return server.messages(session).stream().map(m -> m.path("content").asText()).toList();
    }

    /** A session as hermes-webui's Session.save writes it: every attribute, timestamps in unix seconds. */
    private static Map<String, Object> session(String id, String title, List<Map<String, Object>> messages) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("session_id", id);
        s.put("title", title);
        s.put("workspace", "/home/me/work");
        s.put("model", "anthropic/claude-sonnet-4");
        s.put("messages", messages);
        s.put("tool_calls", List.of());
        s.put("created_at", 1_764_000_000.25);
        s.put("updated_at", 1_764_000_100.5);
        s.put("pinned", false);
        s.put("archived", false);
        s.put("project_id", null);
        s.put("input_tokens", 12);
        s.put("output_tokens", 34);
        return s;
    }

    private static Map<String, Object> message(String role, Object content) {
        return message(role, content, Map.of());
    }

    private static Map<String, Object> message(String role, Object content, Map<String, Object> more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        m.put("timestamp", 1_764_000_050.0);
        m.putAll(more);
        return m;
    }

    private static void write(Path dir, String name, Object value) throws Exception {
        Files.writeString(dir.resolve(name), JSON.writeValueAsString(value));
    }

    private static TetherConfig config(Path dataDir) {
        Map<String, String> env = new HashMap<>(LIMITS);
        env.put("TETHER_DATA_DIR", dataDir.toString());
        return new ConfigLoader(env).load();
    }
}
