package dev.tether.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP fuzzing of every JSON route (SCENARIOS.md 34): malformed and hostile bodies, wrong types,
 * huge strings, unicode edge cases (lone surrogates, NUL, RTL, emoji), wrong methods and unknown
 * ids. Every answer must be a 4xx JSON error with the expected status, nothing may be written (the
 * whole SQLite file is compared before and after each request), and the server must stay up.
 * The cases come from a seed ({@code -Dtorture.fuzzSeed}, printed on failure).
 */
class HttpFuzzTest {
    static final long SEED = Long.getLong("torture.fuzzSeed", 4_404L);
    static final int CASES = Integer.getInteger("torture.fuzzCases", 1500);
    static final ScriptedModel MODEL = ScriptedModel.autoReply("fine");
    static TestServer server;
    static String session;
    static String turn;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        server = TestServer.with(MODEL, Map.of("TETHER_MAX_BODY_BYTES", "65536", "TETHER_MAX_MESSAGE_CHARS", "2000"));
        session = server.newSession();
        turn = server.startTurn(session, "a first message");
        server.awaitIdle(session);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hostileBodiesGetA4xxJsonErrorAndWriteNothing() throws Exception {
        FuzzCases cases = new FuzzCases(new Random(SEED), Map.of("session_id", session, "stream_id", turn));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES && failures.size() < 20; i++) {
            FuzzCases.Case c = cases.next();
            judge(c, send(c.method(), c.path(), c.body(), i), failures);
        }
        assertThat(failures).as("seed %d (replay with -Dtorture.fuzzSeed=%d)", SEED, SEED).isEmpty();
        assertThat(server.health().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void wrongMethodsAndHostileQueriesGetA4xxJsonErrorAndWriteNothing() throws Exception {
        List<String> failures = new ArrayList<>();
        List<String> posts = List.of("/api/session/new", "/api/session/update", "/api/session/rename",
                "/api/session/delete", "/api/chat/start", "/api/session/import", "/api/upload");
        List<String> gets = List.of("/api/session?session_id=" + session, "/api/sessions", "/api/chat/stream/status?stream_id="
                + turn, "/api/session/export?session_id=" + session, "/api/models", "/health");
        for (String path : posts) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                judge(new FuzzCases.Case(method, path, "{}".getBytes(), 405, "wrong method"), send(method, path, "{}".getBytes(), 0),
                        failures);
            }
        }
        for (String path : gets) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                judge(new FuzzCases.Case(method, path, new byte[0], 405, "wrong method"), send(method, path, new byte[0], 0),
                        failures);
            }
        }
        judge(new FuzzCases.Case("POST", "/api/upload", "{}".getBytes(), 400, "JSON to the upload route"),
                send("POST", "/api/upload", "{\"session_id\": \"x\"}".getBytes(), 0), failures);
        for (String[] q : hostileQueries()) {
            FuzzCases.Case c = new FuzzCases.Case("GET", q[0], new byte[0], Integer.parseInt(q[1]), "hostile query");
            judge(c, send("GET", q[0], new byte[0], 0), failures);
        }
        assertThat(failures).isEmpty();
        assertThat(server.health().path("status").asText()).isEqualTo("ok");
    }

    /**
     * Valid requests carrying unicode edge cases: each is either stored exactly as sent or refused
     * with a 4xx; never a 500, never silently changed.
     */
    @Test
    void unicodeEdgeCasesAreKeptExactlyOrRefused() throws Exception {
        String target = server.newSession();
        List<String> failures = new ArrayList<>();
        for (String v : List.of("\uD800", "\uDC00x", "a\uD83D", "nul\u0000inside", "\u202Eevil\u202C", "😀🚀👩‍👩‍👧",
                "\uFEFFbom", "\uFFFF\uFFFE", "e\u0301\u0301", "\u2028\u2029", "𝕏 \u0007 bell", "ltr \u200F rtl")) {
            byte[] rename = ("{\"session_id\": \"" + target + "\", \"title\": " + FuzzCases.quote("t" + v) + "}").getBytes();
            Outcome o = send("POST", "/api/session/rename", rename, 0);
            String title = server.session(target).path("title").asText();
            if (o.status() == 200 ? !title.equals(("t" + v).strip()) : o.status() < 400 || o.status() >= 500) {
                failures.add("rename to " + FuzzCases.quote("t" + v) + ": " + o.status() + ", stored " + FuzzCases.quote(title));
            }
            byte[] start = ("{\"session_id\": \"" + target + "\", \"message\": " + FuzzCases.quote("m" + v) + "}").getBytes();
            o = send("POST", "/api/chat/start", start, 0);
            if (o.status() == 200) {
                server.awaitIdle(target);
                List<com.fasterxml.jackson.databind.JsonNode> messages = server.messages(target);
                String stored = messages.get(messages.size() - 2).path("content").asText();
                if (!stored.equals("m" + v)) {
                    failures.add("message " + FuzzCases.quote("m" + v) + " stored as " + FuzzCases.quote(stored));
                }
            } else if (o.status() < 400 || o.status() >= 500) {
                failures.add("message " + FuzzCases.quote("m" + v) + ": " + o.status() + " " + o.body());
            }
        }
        assertThat(failures).isEmpty();
    }

    private static List<String[]> hostileQueries() {
        List<String[]> out = new ArrayList<>();
        String[] ids = {"%ED%A0%80", "%00", "%FF%FE", "%C0%AF", "..%2F..%2Fetc%2Fpasswd", "x".repeat(5000), "%E2%80%AE",
                "%F0%9F%98%80", "'%20OR%201=1"};
        for (String id : ids) {
            out.add(new String[] {"/api/session?messages=1&session_id=" + id, "404"});
            out.add(new String[] {"/api/chat/stream?stream_id=" + id, "404"});
            out.add(new String[] {"/api/chat/stream/status?stream_id=" + id, "404"});
            out.add(new String[] {"/api/chat/cancel?stream_id=" + id, "405"});
            out.add(new String[] {"/api/session/stream?session_id=" + id, "404"});
            out.add(new String[] {"/api/session/export?format=md&session_id=" + id, "404"});
            out.add(new String[] {"/api/attachment?attachment_id=" + id, "404"});
        }
        for (String bad : new String[] {"-1", "abc", "1e3", "99999999999", "%00", ""}) {
            String expected = bad.isEmpty() ? "200" : "400";
            out.add(new String[] {"/api/session?messages=1&msg_limit=" + bad + "&session_id=" + session, expected});
            out.add(new String[] {"/api/session?messages=1&msg_before=" + bad + "&session_id=" + session, expected});
        }
        out.add(new String[] {"/api/session/export?format=%00&session_id=" + session, "400"});
        out.add(new String[] {"/api/session/export?format=exe&session_id=" + session, "400"});
        for (String missing : new String[] {"/api/session", "/api/chat/stream", "/api/chat/stream/status",
                "/api/session/stream", "/api/session/export", "/api/attachment"}) {
            out.add(new String[] {missing, "400"});
        }
        out.add(new String[] {"/api/chat/cancel", "405"}); // POST only
        return out;
    }

    /** A refused request: the expected 4xx, a JSON error without internals, nothing written. */
    private void judge(FuzzCases.Case c, Outcome o, List<String> failures) {
        String name = c.method() + " " + abbreviate(c.path()) + " (" + c.what() + ", body "
                + abbreviate(new String(c.body(), java.nio.charset.StandardCharsets.UTF_8)) + ")";
        if (o.status() == 200 && c.status() == 200) {
            if (!o.before().equals(o.after())) {
                failures.add(name + ": a read wrote to the store");
            }
            return;
        }
        if (o.status() != c.status()) {
            failures.add(name + ": answered " + o.status() + " (expected " + c.status() + "): " + abbreviate(o.body()));
        } else if (!o.contentType().startsWith("application/json") || !o.body().contains("\"error\"")
                || !o.body().contains("\"code\"") || o.body().contains("Exception") || o.body().contains("at dev.")) {
            failures.add(name + ": not a clean JSON error: " + abbreviate(o.body()));
        }
        if (!o.before().equals(o.after())) {
            failures.add(name + ": answered " + o.status() + " but the store changed");
        }
    }

    private record Outcome(int status, String body, String contentType, String before, String after) {}

    private Outcome send(String method, String path, byte[] body, int i) throws Exception {
        String before = dump(server.dataDir());
        String[] contentTypes = {"application/json", "text/plain", "application/x-www-form-urlencoded; charset=utf-8"};
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentTypes[i % contentTypes.length])
                .method(method, body.length == 0 && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : i % 2 == 0 ? HttpRequest.BodyPublishers.ofByteArray(body)
                        : HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))) // chunked
                .build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Outcome(-1, "no answer: " + e, "", before, dump(server.dataDir()));
        }
        return new Outcome(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""), before,
                dump(server.dataDir()));
    }

    /** Every row of every table, as text: equal dumps mean nothing was written. */
    static String dump(Path dataDir) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tether.db"));
             Statement s = c.createStatement()) {
            for (String table : List.of("sessions", "messages", "turns", "turn_events", "queued", "attachments")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int col = 1; col <= columns; col++) {
                            sb.append(rs.getString(col)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
