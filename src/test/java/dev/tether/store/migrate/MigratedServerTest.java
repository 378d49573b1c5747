package dev.tether.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.Tether;
import dev.tether.config.ConfigLoader;
import dev.tether.config.DatabaseUrl;
import dev.tether.model.ModelCatalog;
import dev.tether.model.ModelInfo;
import dev.tether.support.Multipart;
import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestPostgres;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A data dir made by a real SQLite server (two users with login on, an API token, finished turns,
 * uploads, a pinned and an archived session, an interrupted turn, a queued message), migrated into
 * PostgreSQL, served by a Tether on PostgreSQL over the same data dir: every listing, transcript and
 * turn replay answers byte for byte what the SQLite server answered, with the SQLite server's login
 * cookies and token; both users log in; attachments download; the queue moves on.
 */
class MigratedServerTest {
    static final String PASSWORD = "correct horse battery";
    static final Duration WAIT = Duration.ofSeconds(30);

    final ScriptedModel model = ScriptedModel.autoReply("Hello", " there", "!");

    @Test
    void aServerOnThePostgresqlCopyAnswersAsTheSqliteServerDid() throws Exception {
        Map<String, String> env = Map.of("TETHER_AUTH", "on", "TETHER_ADMIN_USER", "ada", "TETHER_ADMIN_PASSWORD", PASSWORD);
        TestServer sqlite = TestServer.with(model, env);
        Path dataDir = sqlite.dataDir();
        Map<String, String> cookies = new LinkedHashMap<>();
        Map<String, String> answers = new LinkedHashMap<>();
        Map<String, List<SseTestClient.Frame>> replays = new LinkedHashMap<>();
        List<Upload> uploads = new ArrayList<>();
        String token;
        String queuedSession;
        try {
            UserClient ada = UserClient.login(sqlite.baseUrl(), "ada", PASSWORD);
            assertThat(ada.post("/api/admin/users", Map.of("name", "bob", "password", PASSWORD)).status()).isEqualTo(200);
            UserClient bob = UserClient.login(sqlite.baseUrl(), "bob", PASSWORD);
            token = bob.post("/api/tokens", Map.of("name", "script")).json().path("secret").asText();
            for (UserClient user : List.of(ada, bob)) {
                for (int s = 0; s < 3; s++) {
                    String session = user.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
                    String text = "note " + s + " of " + user.headers().get("Cookie").hashCode() + ", ünïcode";
                    String attachment = upload(sqlite.baseUrl(), user, session, "notes-" + s + ".txt", text);
                    uploads.add(new Upload(user == ada ? "ada" : "bob", attachment, text));
                    turn(user, Map.of("session_id", session, "message", "first, with a file", "attachments", List.of(attachment)));
                    turn(user, Map.of("session_id", session, "message", "second question " + s));
                }
            }
            String pinned = firstSession(ada);
            assertThat(ada.post("/api/session/update", Map.of("session_id", pinned, "pinned", true)).status()).isEqualTo(200);
            assertThat(ada.post("/api/preferences", Map.of("theme", "dark", "font_size", "large")).status()).isEqualTo(200);
            String archived = firstSession(bob);
            assertThat(bob.post("/api/session/update", Map.of("session_id", archived, "archived", true)).status()).isEqualTo(200);

            String cut = bob.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
            model.setAutoReply();
            start(bob, Map.of("session_id", cut, "message", "a reply cut by a restart"));
            model.nextCall(WAIT).emit("partial ");
            sqlite.restartOnSamePort(); // the clean stop ends the turn interrupted, its partial kept
            model.setAutoReply("Hello", " there", "!");

            cookies.put("ada", ada.headers().get("Cookie"));
            cookies.put("bob", bob.headers().get("Cookie"));
            for (UserClient user : List.of(ada, bob)) {
                readAll(user, answers, replays);
            }
            assertThat(answers.values()).anyMatch(a -> a.contains("\"interrupted\""));

            ada.post("/api/admin/users", Map.of("name", "carol", "password", PASSWORD));
            UserClient carol = UserClient.login(sqlite.baseUrl(), "carol", PASSWORD);
            queuedSession = carol.post("/api/session/new", Map.of()).json().path("session").path("session_id").asText();
            model.setAutoReply();
            start(carol, Map.of("session_id", queuedSession, "message", "running at the stop"));
            model.nextCall(WAIT).emit("cut ");
            assertThat(carol.post("/api/chat/start", Map.of("session_id", queuedSession, "message", "queued question",
                    "queue", true)).status()).isEqualTo(202);
        } finally {
            sqlite.close(); // the queue waits for the next start
        }
        model.setAutoReply("Hello", " there", "!");

        try (TestPostgres.Fresh db = TestPostgres.database()) {
            DatabaseUrl url = DatabaseUrl.fromArgument(libpq(db), "--to", Map.of());
            MigrationOutcome outcome = SqliteToPostgres.run(dataDir.resolve("tether.db"), url, line -> { });
            assertThat(outcome).isInstanceOf(MigrationOutcome.Verified.class);
            assertThat(outcome.tables()).extracting(TableResult::table)
                    .containsExactlyElementsOf(Tables.COPIED.stream().map(Table::name).toList());
            assertThat(outcome.tables()).allMatch(TableResult::matches).allMatch(t -> t.postgresRows() > 0);
            assertThat(((MigrationOutcome.Verified) outcome).attachmentFiles()).isEqualTo(6);

            try (Tether postgres = Tether.start(new ConfigLoader(Map.of("TETHER_DATA_DIR", dataDir.toString(), "TETHER_PORT", "0",
                    "TETHER_AUTH", "on", "TETHER_DATABASE_URL", libpq(db))).load(), catalog())) {
                String base = "http://127.0.0.1:" + postgres.port();
                Map<String, String> pgAnswers = new LinkedHashMap<>();
                Map<String, List<SseTestClient.Frame>> pgReplays = new LinkedHashMap<>();
                for (Map.Entry<String, String> c : cookies.entrySet()) {
                    readAll(onPostgres(base, c.getValue()), pgAnswers, pgReplays);
                }
                assertThat(pgAnswers).containsExactlyEntriesOf(answers);
                assertThat(pgReplays).containsExactlyEntriesOf(replays);

                for (String name : List.of("ada", "bob")) {
                    assertThat(UserClient.login(base, name, PASSWORD).get("/api/sessions").status()).isEqualTo(200);
                }
                UserClient script = UserClient.withToken(base, token);
                assertThat(withoutServerTime(script.get("/api/sessions").body())).isEqualTo(answers.get("sessions of bob"));
                for (Upload u : uploads) {
                    var r = onPostgres(base, cookies.get(u.owner())).raw("GET", "/api/attachment?attachment_id=" + u.id(), null);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo(u.text());
                }

                UserClient carol = UserClient.login(base, "carol", PASSWORD);
                Awaitility.await("the queued message ran on PostgreSQL").atMost(WAIT).until(() ->
                        session(carol, queuedSession).path("messages").size() == 4 && !session(carol, queuedSession).path("is_streaming").asBoolean());
                JsonNode messages = session(carol, queuedSession).path("messages");
                assertThat(messages.get(1).path("status").asText()).isEqualTo("interrupted");
                assertThat(messages.get(1).path("content").asText()).isEqualTo("cut ");
                assertThat(messages.get(2).path("content").asText()).isEqualTo("queued question");
                assertThat(messages.get(3).path("content").asText()).isEqualTo("Hello there!");
                String turn = messages.get(3).path("turn_id").asText();
                List<SseTestClient.Frame> replay = replay(base, carol, turn);
                assertThat(replay).as("the new turn's journal is its own").allMatch(f -> f.id().startsWith(turn + ":"))
                        .extracting(SseTestClient.Frame::event).startsWith("token").contains("done");
            }
        }
    }

    private record Upload(String owner, String id, String text) {}

    /** A client on the PostgreSQL server with a login cookie the SQLite server gave. */
    private static UserClient onPostgres(String base, String cookie) {
        return UserClient.anonymous(base).header("Origin", base).header("Cookie", cookie);
    }

    /** A listing as the data gives it: the server's clock reading differs from one answer to the next. */
    private static String withoutServerTime(String listing) {
        return listing.replaceFirst(",\"server_time\":\"[^\"]*\"", "").replaceFirst("\"server_time\":\"[^\"]*\",", "");
    }

    /** Everything a user's client reads: the listings, each transcript, each turn's replay. */
    private static void readAll(UserClient user, Map<String, String> answers, Map<String, List<SseTestClient.Frame>> replays) {
        String me = user.get("/api/auth/me").json().path("user").path("name").asText();
        String listing = withoutServerTime(user.get("/api/sessions").body());
        answers.put("sessions of " + me, listing);
        answers.put("preferences of " + me, user.get("/api/preferences").body());
        String all = withoutServerTime(user.get("/api/sessions?include_archived=1").body());
        answers.put("all sessions of " + me, all);
        for (JsonNode s : json(all).path("sessions")) {
            String id = s.path("session_id").asText();
            String transcript = user.get("/api/session?messages=1&session_id=" + id).body();
            answers.put("transcript " + id, transcript);
            for (JsonNode m : json(transcript).path("session").path("messages")) {
                if (m.path("role").asText().equals("assistant")) {
                    String turn = m.path("turn_id").asText();
                    replays.put(turn, replay(user, turn));
                }
            }
        }
    }

    private static List<SseTestClient.Frame> replay(UserClient user, String turn) {
        return replay(baseOf(user), user, turn);
    }

    private static List<SseTestClient.Frame> replay(String base, UserClient user, String turn) {
        Map<String, String> headers = new HashMap<>(user.headers());
        try (SseTestClient.Connection c = SseTestClient.open(base + "/api/chat/stream?replay=1&stream_id=" + turn, headers)) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.awaitEnd(WAIT)).isTrue();
            return new ArrayList<>(c.events());
        }
    }

    private static String baseOf(UserClient user) {
        return user.headers().get("Origin");
    }

    private void turn(UserClient user, Map<String, ?> body) {
        String session = (String) body.get("session_id");
        start(user, body);
        Awaitility.await().atMost(WAIT).until(() -> !session(user, session).path("is_streaming").asBoolean());
    }

    private static void start(UserClient user, Map<String, ?> body) {
        TestServer.Response r = user.post("/api/chat/start", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode session(UserClient user, String id) {
        return user.get("/api/session?messages=1&session_id=" + id).json().path("session");
    }

    private static String firstSession(UserClient user) {
        return user.get("/api/sessions").json().path("sessions").get(0).path("session_id").asText();
    }

    private static String upload(String base, UserClient user, String session, String name, String text) {
        var r = user.send(Multipart.upload(base, session, name, "text/plain", text.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body()).path("attachment_id").asText();
    }

    private ModelCatalog catalog() {
        return new ModelCatalog(List.of(new ModelCatalog.Entry(new ModelInfo(TestServer.MODEL, "test", "Test model", false), model)),
                TestServer.MODEL);
    }

    static String libpq(TestPostgres.Fresh db) {
        return "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + db.port() + "/" + db.name();
    }

    private static JsonNode json(String body) {
        return new TestServer.Response(200, body, "application/json").json();
    }
}
