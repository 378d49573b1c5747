package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SCENARIOS.md 34: malformed JSON, wrong types, missing fields, huge bodies and unknown ids get a
 * 4xx with a clear JSON message, never a 500, and write nothing.
 */
class S34_BadInputTest {
    static final ScriptedModel MODEL = ScriptedModel.autoReply("ok");
    static TestServer server;
    static String session;

    @BeforeAll
    static void start() {
        server = TestServer.with(MODEL, java.util.Map.of("TETHER_MAX_BODY_BYTES", "65536",
                "TETHER_MAX_MESSAGE_CHARS", "1000"));
        session = server.newSession();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * U+0000 is valid JSON text (and SQLite keeps it) but PostgreSQL's text cannot hold it: a message
     * or a reply holding one is kept, as U+FFFD on PostgreSQL, and never fails its turn or answers 500.
     */
    @Test
    void aMessageAndAReplyHoldingNulAreKept() {
        try (TestServer nul = TestServer.with(ScriptedModel.autoReply("zero \u0000 byte"))) {
            String id = nul.newSession();
            TestServer.Response started = nul.post("/api/chat/start",
                    "{\"session_id\": \"" + id + "\", \"message\": \"a \\u0000 b\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(200);
            nul.awaitIdle(id);
            List<JsonNode> messages = nul.messages(id);
            assertThat(messages).extracting(m -> m.path("content").asText().replace('\uFFFD', '\u0000'))
                    .containsExactly("a \u0000 b", "zero \u0000 byte");
            assertThat(messages.get(1).path("status").isNull()).as("the reply completed").isTrue();
        }
    }

    static Stream<Arguments> badRequests() {
        String s = "\"" + "%s" + "\"";
        String huge = "x".repeat(70_000);
        return Stream.of(
                Arguments.of("/api/chat/start", "{not json", 400, "bad_json"),
                Arguments.of("/api/chat/start", "[1,2]", 400, "bad_json"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\"} {\"message\": \"x\"}", 400, "bad_json"),
                Arguments.of("/api/session/new", "{} garbage", 400, "bad_json"),
                Arguments.of("/api/session/new", "{}{", 400, "bad_json"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"lone \\ud800\"}", 400, "bad_json"),
                Arguments.of("/api/session/rename", "{\"session_id\": SID, \"title\": \"x\\udc00y\"}", 400, "bad_json"),
                Arguments.of("/api/session/import", "{\"messages\": [{\"role\": \"user\", \"content\": \"\\ud83d\"}]}", 400, "bad_json"),
                Arguments.of("/api/chat/start", "{}", 400, "missing_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": 42, \"message\": \"hi\"}", 400, "bad_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"   \"}", 400, "empty_message"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": [\"hi\"]}", 400, "bad_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"" + "y".repeat(1001) + "\"}", 413, "message_too_large"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"" + huge + "\"}", 413, "body_too_large"),
                Arguments.of("/api/chat/start", "{\"session_id\": \"nope\", \"message\": \"hi\"}", 404, "session_not_found"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"model\": \"gpt-nope\"}", 400, "unknown_model"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"edit_index\": -1}", 400, "bad_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"edit_index\": 1.5}", 400, "bad_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"edit_index\": 7}", 409, "not_applicable"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"attachments\": \"a\"}", 400, "bad_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"queue\": \"yes\"}", 400, "bad_field"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"message\": \"hi\", \"client_message_id\": \"\"}", 400, "bad_request"),
                Arguments.of("/api/chat/start", "{\"session_id\": SID, \"regenerate\": true, \"edit_index\": 0}", 400, "bad_request"),
                Arguments.of("/api/chat/cancel", "{}", 400, "missing_field"),
                Arguments.of("/api/chat/cancel", "{\"stream_id\": \"nope\"}", 404, "stream_not_found"),
                Arguments.of("/api/session/new", "{\"title\": 5}", 400, "bad_field"),
                Arguments.of("/api/session/new", "{\"model\": \"gpt-nope\"}", 400, "unknown_model"),
                Arguments.of("/api/session/rename", "{\"session_id\": SID, \"title\": \"  \"}", 400, "empty_title"),
                Arguments.of("/api/session/rename", "{\"session_id\": SID, \"title\": \"a\\u0000b\"}", 400, "bad_title"),
                Arguments.of("/api/session/rename", "{\"session_id\": SID, \"title\": \"invoice\\u202Efdp.exe\"}", 400, "bad_title"),
                Arguments.of("/api/session/new", "{\"title\": \"x\\u2066y\"}", 400, "bad_title"),
                Arguments.of("/api/session/update", "{\"session_id\": SID, \"title\": \"two\\nlines\"}", 400, "bad_title"),
                Arguments.of("/api/session/rename", "{\"session_id\": SID, \"title\": \"" + "t".repeat(201) + "\"}", 400, "title_too_long"),
                Arguments.of("/api/session/rename", "{\"session_id\": \"nope\", \"title\": \"x\"}", 404, "session_not_found"),
                Arguments.of("/api/session/update", "{\"session_id\": SID, \"pinned\": \"true\"}", 400, "bad_field"),
                Arguments.of("/api/session/update", "{\"session_id\": \"nope\", \"pinned\": true}", 404, "session_not_found"),
                Arguments.of("/api/session/delete", "{\"session_id\": \"nope\"}", 404, "session_not_found"),
                Arguments.of("/api/session/delete", "{\"session_id\": null}", 400, "missing_field"));
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @MethodSource("badRequests")
    void badPostGetsA4xxJsonErrorAndWritesNothing(String path, String body, int status, String code) {
        JsonNode before = state();
        TestServer.Response r = server.post(path, body.replace("SID", "\"" + session + "\""));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(state()).isEqualTo(before);
    }

    // Found by the HTTP fuzzer (#4): the server answered 413 without reading the body and closed the
    // connection; the unread bytes made the kernel reset it, and the client lost the answer.
    @Test
    void everyOversizeBodyGetsItsJsonAnswer() {
        String huge = "{\"session_id\": \"" + session + "\", \"message\": \"" + "z".repeat(1_000_000) + "\"}";
        for (int i = 0; i < 15; i++) {
            TestServer.Response r = server.post("/api/chat/start", huge);
            assertThat(r.status()).as("attempt %d: %s", i, r.body()).isEqualTo(413);
            assertThat(r.json().path("code").asText()).isEqualTo("body_too_large");
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        byte[] huge = ("{\"session_id\": \"" + session + "\", \"message\": \"hi\", \"junk\": \""
                + "z".repeat(70_000) + "\"}").getBytes();
        TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/api/session/new"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)))
                .build());
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.json().path("code").asText()).isEqualTo("body_too_large");
    }

    static Stream<Arguments> badGets() {
        return Stream.of(
                Arguments.of("/api/session", 400, "missing_parameter"),
                Arguments.of("/api/session?session_id=nope", 404, "session_not_found"),
                Arguments.of("/api/session?session_id=SID&messages=1&msg_limit=abc", 400, "bad_parameter"),
                Arguments.of("/api/session?session_id=SID&messages=1&msg_limit=0", 400, "bad_parameter"),
                Arguments.of("/api/chat/stream", 400, "missing_parameter"),
                Arguments.of("/api/chat/stream?stream_id=nope", 404, "stream_not_found"),
                Arguments.of("/api/chat/stream/status?stream_id=nope", 404, "stream_not_found"),
                Arguments.of("/api/chat/cancel?stream_id=nope", 405, "method_not_allowed"),
                Arguments.of("/api/session/stream?session_id=nope", 404, "session_not_found"),
                Arguments.of("/api/no/such/route", 404, "not_found"));
    }

    @ParameterizedTest(name = "GET {0} → {1}")
    @MethodSource("badGets")
    void badGetGetsA4xxJsonError(String path, int status, String code) {
        TestServer.Response r = server.get(path.replace("SID", session));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("code").asText()).isEqualTo(code);
    }

    @ParameterizedTest(name = "wrong method on {0}")
    @MethodSource("wrongMethods")
    void wrongMethodIs405Json(String path) {
        TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.baseUrl() + path)).method("PUT", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().path("code").asText()).isEqualTo("method_not_allowed");
    }

    static List<String> wrongMethods() {
        return List.of("/api/chat/start", "/api/session/new", "/api/sessions", "/api/session/delete");
    }

    /** Everything a bad request could have written: the session list and the transcript. */
    private static JsonNode state() {
        return server.get("/api/sessions?include_archived=1").json().path("sessions");
    }
}
