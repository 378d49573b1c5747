package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deleting a session deletes its attachments: the row, the file, and any way to attach them again. */
class DeletedSessionAttachmentsTest {
    static TestServer server;
    static UserClient client;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("seen"));
        client = UserClient.anonymous(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String upload(String session) throws Exception {
        HttpResponse<String> up = client.send(Multipart.upload(server.baseUrl(), session, "notes.txt", "text/plain",
                "private notes".getBytes()));
        assertThat(up.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(up.body()).path("attachment_id").asText();
    }

    @Test
    void aDeletedSessionsAttachmentsAreGoneAndCannotBeAttachedElsewhere() throws Exception {
        String doomed = server.newSession();
        String id = upload(doomed);
        assertThat(server.post("/api/chat/start", Map.of("session_id", doomed, "message", "look",
                "attachments", List.of(id))).status()).isEqualTo(200);
        server.awaitIdle(doomed);
        Path file = server.dataDir().resolve("attachments").resolve(id);
        assertThat(file).exists();

        assertThat(server.post("/api/session/delete", Map.of("session_id", doomed)).status()).isEqualTo(200);

        assertThat(file).doesNotExist();
        assertThat(server.get("/api/attachment?attachment_id=" + id).status()).isEqualTo(404);
        String other = server.newSession();
        TestServer.Response reuse = server.post("/api/chat/start", Map.of("session_id", other, "message", "again",
                "attachments", List.of(id)));
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json().path("code").asText()).isEqualTo("unknown_attachment");
    }

    @Test
    void anAttachmentBelongsToTheSessionItWasUploadedTo() throws Exception {
        String first = server.newSession();
        String id = upload(first);
        String second = server.newSession();

        TestServer.Response elsewhere = server.post("/api/chat/start", Map.of("session_id", second, "message", "x",
                "attachments", List.of(id)));

        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(server.post("/api/session/delete", Map.of("session_id", second)).status()).isEqualTo(200);
        assertThat(server.get("/api/attachment?attachment_id=" + id).status()).as("another session's delete")
                .isEqualTo(200);
        assertThat(Files.exists(server.dataDir().resolve("attachments").resolve(id))).isTrue();
    }
}
