package dev.tether.web.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live connection ends with the login it came with: logout ends the streams opened with that
 * cookie (and frees their slots at once), disabling a user or resetting their password ends all of
 * theirs. The heartbeat is 10 s and a logged-out stream's heartbeats would still be written, so
 * only the ending itself can close these streams within the waits below.
 */
class StreamsEndWithLoginTest {
    private static final String PASSWORD = "correct horse battery";
    private static final Duration SOON = Duration.ofSeconds(5);
    static TestServer server;
    static UserClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"), Map.of("TETHER_AUTH", "on",
                "TETHER_ADMIN_USER", "root", "TETHER_ADMIN_PASSWORD", PASSWORD,
                "TETHER_HEARTBEAT_MS", "10000", "TETHER_STREAMS_PER_USER", "3"));
        admin = UserClient.login(server.baseUrl(), "root", PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newUser(String name) {
        TestServer.Response r = admin.post("/api/admin/users", Map.of("name", name, "password", PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        return r.json().path("user").path("user_id").asText();
    }

    private static SseTestClient.Connection stream(UserClient who, String path) {
        SseTestClient.Connection c = SseTestClient.open(server.baseUrl() + path, who.headers());
        assertThat(c.status()).isEqualTo(200);
        c.awaitEvents(1, SOON);
        return c;
    }

    @Test
    void logoutEndsTheStreamsOfThatLoginOnlyAndFreesTheirSlots() {
        newUser("ann");
        UserClient laptop = UserClient.login(server.baseUrl(), "ann", PASSWORD);
        UserClient phone = UserClient.login(server.baseUrl(), "ann", PASSWORD);
        try (SseTestClient.Connection sidebar = stream(laptop, "/api/sessions/events");
             SseTestClient.Connection shared = stream(laptop, "/api/events");
             SseTestClient.Connection onPhone = stream(phone, "/api/sessions/events")) {
            assertThat(SseTestClient.open(server.baseUrl() + "/api/events", phone.headers()).status()).isEqualTo(429);

            assertThat(laptop.post("/api/auth/logout", Map.of()).status()).isEqualTo(200);

            assertThat(sidebar.awaitEnd(SOON)).isTrue();
            assertThat(shared.awaitEnd(SOON)).isTrue();
            assertThat(onPhone.awaitEnd(Duration.ZERO)).isFalse();
            try (SseTestClient.Connection second = stream(phone, "/api/events");
                 SseTestClient.Connection third = stream(phone, "/api/sessions/events")) {
                assertThat(second.status()).isEqualTo(200);
                assertThat(third.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void disablingAUserOrResettingTheirPasswordEndsAllTheirStreams() {
        String bea = newUser("bea");
        UserClient client = UserClient.login(server.baseUrl(), "bea", PASSWORD);
        try (SseTestClient.Connection open = stream(client, "/api/sessions/events")) {
            assertThat(admin.post("/api/admin/users/disable", Map.of("user_id", bea)).status()).isEqualTo(200);
            assertThat(open.awaitEnd(SOON)).isTrue();
        }

        String cal = newUser("cal");
        UserClient other = UserClient.login(server.baseUrl(), "cal", PASSWORD);
        String token = other.post("/api/tokens", Map.of("name", "script")).json().path("secret").asText();
        try (SseTestClient.Connection byCookie = stream(other, "/api/events");
             SseTestClient.Connection byToken = stream(UserClient.withToken(server.baseUrl(), token),
                     "/api/sessions/events")) {
            assertThat(admin.post("/api/admin/users/password", Map.of("user_id", cal, "password", "a new long password"))
                    .status()).isEqualTo(200);
            assertThat(byCookie.awaitEnd(SOON)).isTrue();
            assertThat(byToken.awaitEnd(SOON)).isTrue();
        }
    }
}
