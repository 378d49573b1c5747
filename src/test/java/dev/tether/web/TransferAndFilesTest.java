package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uploads on messages, export as Markdown and JSON, and import of both export kinds. */
class TransferAndFilesTest {
    static final ScriptedModel MODEL = ScriptedModel.autoReply("I read ", "your file.");
    static TestServer server;
    static UserClient client;

    @BeforeAll
    static void start() {
        server = TestServer.with(MODEL);
        client = UserClient.anonymous(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anUploadTravelsWithTheMessageAndIsServedBackToItsOwner() throws Exception {
        String session = server.newSession();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        HttpResponse<String> up = client.send(Multipart.upload(server.baseUrl(), session, "../../etc/passwd.png",
                "image/png", png));
        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode a = json(up.body());
        assertThat(a.path("filename").asText()).isEqualTo("passwd.png");
        assertThat(a.path("is_image").asBoolean()).isTrue();
        assertThat(a.path("size").asLong()).isEqualTo(png.length);
        try (var files = Files.list(server.dataDir().resolve("attachments"))) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly(a.path("attachment_id").asText());
        }
        TestServer.Response start = server.post("/api/chat/start", Map.of("session_id", session, "message", "look",
                "attachments", List.of(a.path("attachment_id").asText())));
        assertThat(start.status()).isEqualTo(200);
        awaitIdle(session);
        JsonNode first = server.session(session).path("messages").get(0);
        assertThat(first.path("attachments").get(0).path("filename").asText()).isEqualTo("passwd.png");
        HttpResponse<String> served = client.raw("GET", "/api/attachment?attachment_id=" + a.path("attachment_id").asText(), null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
        assertThat(served.headers().firstValue("Content-Disposition").orElse("")).startsWith("inline");
    }

    @Test
    void aTextAttachmentIsQuotedToTheModel() {
        String session = server.newSession();
        HttpResponse<String> up = client.send(Multipart.upload(server.baseUrl(), session, "notes.md", "text/markdown",
                "remember the milk".getBytes(StandardCharsets.UTF_8)));
        String id = json(up.body()).path("attachment_id").asText();
        server.post("/api/chat/start", Map.of("session_id", session, "message", "what does it say?", "attachments", List.of(id)));
        awaitIdle(session);
        String sent = MODEL.lastRequest().messages().getLast().content();
        assertThat(sent).startsWith("what does it say?").contains("[Attached file: notes.md").contains("remember the milk");
    }

    @Test
    void exportAsMarkdownAndJsonAndImportTheJsonBack() {
        String session = server.newSession();
        server.startTurn(session, "export me");
        awaitIdle(session);
        HttpResponse<String> md = client.raw("GET", "/api/session/export?format=md&session_id=" + session, null);
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains(".md");
        assertThat(md.body()).contains("# export me").contains("## You").contains("export me").contains("## Assistant")
                .contains("I read your file.");
        HttpResponse<String> exported = client.raw("GET", "/api/session/export?format=json&session_id=" + session, null);
        JsonNode doc = json(exported.body());
        assertThat(doc.path("format").asText()).isEqualTo("tether-session");
        TestServer.Response imported = server.post("/api/session/import", exported.body());
        assertThat(imported.status()).isEqualTo(200);
        String copy = imported.json().path("session").path("session_id").asText();
        assertThat(copy).isNotEqualTo(session);
        JsonNode messages = server.session(copy).path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("content").asText()).isEqualTo("export me");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("I read your file.");
        assertThat(server.session(copy).path("title").asText()).isEqualTo("export me (imported)");
        assertThat(server.session(copy).path("pinned").asBoolean()).isFalse();
    }

    /** Issue 17 (9, 10): an export keeps each reply's token usage and an error's hint, and an import brings them back. */
    @Test
    void usageAndAnErrorsHintSurviveExportAndImport() {
        TestServer.Response r = server.post("/api/session/import", Map.of("title", "Costs", "session", Map.of("pinned", true),
                "messages", List.of(
                        Map.of("role", "user", "content", "hi"),
                        Map.of("role", "assistant", "content", "hello", "usage",
                                Map.of("input_tokens", 12, "output_tokens", 3, "note", "<b>not a count</b>")),
                        Map.of("role", "user", "content", "again"),
                        Map.of("role", "assistant", "content", "", "status", "error", "error", "The provider failed.",
                                "hint", "Try again later."))));
        assertThat(r.status()).isEqualTo(200);
        String id = r.json().path("session").path("session_id").asText();
        JsonNode messages = server.session(id).path("messages");
        assertThat(messages.get(1).path("usage").toString()).isEqualTo("{\"input_tokens\":12,\"output_tokens\":3}");
        assertThat(messages.get(3).path("error").asText()).isEqualTo("The provider failed.");
        assertThat(messages.get(3).path("hint").asText()).isEqualTo("Try again later.");

        JsonNode exported = json(client.raw("GET", "/api/session/export?format=json&session_id=" + id, null).body());
        JsonNode list = exported.path("messages");
        assertThat(list.get(1).path("usage").path("input_tokens").asInt()).isEqualTo(12);
        assertThat(list.get(1).path("usage").path("output_tokens").asInt()).isEqualTo(3);
        assertThat(list.get(3).path("hint").asText()).isEqualTo("Try again later.");
        assertThat(list.get(3).path("status").asText()).isEqualTo("error");
        assertThat(server.session(id).path("title").asText()).isEqualTo("Costs (imported)");
    }

    @Test
    void importsAHermesStyleSessionFileAndRejectsGarbage() {
        TestServer.Response r = server.post("/api/session/import", Map.of("title", "From hermes", "messages", List.of(
                Map.of("role", "system", "content", "you are helpful"),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "hi there"))),
                Map.of("role", "assistant", "content", "hello!"))));
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = server.session(r.json().path("session").path("session_id").asText());
        assertThat(s.path("title").asText()).isEqualTo("From hermes (imported)");
        assertThat(s.path("messages")).hasSize(2);
        assertThat(s.path("messages").get(0).path("content").asText()).isEqualTo("hi there");
        TestServer.Response notAnExport = server.post("/api/session/import", Map.of("messages", "nope"));
        assertThat(notAnExport.status()).isEqualTo(400);
        assertThat(notAnExport.json().path("error").asText()).contains("not a chat export", "'messages' list");
        assertThat(server.post("/api/session/import", Map.of("messages", List.of(Map.of("role", "user", "content", 5))))
                .status()).isEqualTo(400);
        assertThat(client.get("/api/session/export?format=pdf&session_id=" + server.newSession()).status()).isEqualTo(400);
    }

    private static void awaitIdle(String session) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                !server.session(session).path("is_streaming").asBoolean()
                        && server.session(session).path("message_count").asInt() >= 2);
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(s, e);
        }
    }
}
