package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.ScriptedModel;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP: read-only and expiring tokens, changing one's own password (which ends one's other
 * logins and their live connections), and seeing and ending one's logins.
 */
class ProfileRoutesTest {
    static final String PASSWORD = "correct horse battery";
    static TestServer server;
    static UserClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"), Map.of("TETHER_AUTH", "on",
                "TETHER_ADMIN_USER", "root", "TETHER_ADMIN_PASSWORD", PASSWORD, "TETHER_HEARTBEAT_MS", "10000"));
        admin = UserClient.login(server.baseUrl(), "root", PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static UserClient newUser(String name) {
        assertThat(admin.post("/api/admin/users", Map.of("name", name, "password", PASSWORD)).status()).isEqualTo(200);
        return UserClient.login(server.baseUrl(), name, PASSWORD);
    }

    @Test
    void aReadOnlyTokenReadsButChangesNothing() {
        UserClient dora = newUser("dora");
        TestServer.Response issued = dora.post("/api/tokens", Map.of("name", "dashboard", "read_only", true,
                "expires_in_days", 30));
        assertThat(issued.status()).isEqualTo(200);
        JsonNode token = issued.json().path("token");
        assertThat(token.path("read_only").asBoolean()).isTrue();
        assertThat(Duration.between(Instant.now(), Instant.parse(token.path("expires_at").asText())).toDays())
                .isBetween(29L, 30L);
        UserClient script = UserClient.withToken(server.baseUrl(), issued.json().path("secret").asText());

        assertThat(script.get("/api/sessions").status()).isEqualTo(200);
        TestServer.Response write = script.post("/api/session/new", Map.of());
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().path("code").asText()).isEqualTo("read_only_token");
        assertThat(dora.get("/api/sessions").json().path("sessions")).isEmpty();
        assertThat(dora.post("/api/tokens", Map.of("expires_in_days", 0)).status()).isEqualTo(400);
    }

    @Test
    void changingTheOwnPasswordEndsTheOtherLoginsAndTheirStreams() {
        UserClient here = newUser("eve");
        UserClient phone = UserClient.login(server.baseUrl(), "eve", PASSWORD);
        try (SseTestClient.Connection phoneStream = SseTestClient.open(server.baseUrl() + "/api/sessions/events",
                phone.headers())) {
            phoneStream.awaitEvents(1, Duration.ofSeconds(5));
            TestServer.Response wrong = here.post("/api/auth/password", Map.of("current_password", "not it at all",
                    "new_password", "a brand new password"));
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.json().path("code").asText()).isEqualTo("wrong_password");

            assertThat(here.post("/api/auth/password", Map.of("current_password", PASSWORD,
                    "new_password", "a brand new password")).status()).isEqualTo(200);

            assertThat(phoneStream.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(phone.get("/api/sessions").status()).isEqualTo(401);
            assertThat(here.get("/api/sessions").status()).isEqualTo(200);
        }
    }

    @Test
    void aUserSeesTheirLoginsAndEndsAnother() {
        UserClient here = newUser("fay");
        UserClient laptop = UserClient.login(server.baseUrl(), "fay", PASSWORD);
        JsonNode logins = here.get("/api/auth/logins").json().path("logins");
        assertThat(logins).hasSize(2);
        List<String> others = new ArrayList<>();
        logins.forEach(l -> {
            if (!l.path("current").asBoolean()) {
                others.add(l.path("login_id").asText());
            }
        });
        assertThat(others).hasSize(1);

        assertThat(admin.post("/api/auth/logins/end", Map.of("login_id", others.getFirst())).status()).isEqualTo(404);
        assertThat(here.post("/api/auth/logins/end", Map.of("login_id", others.getFirst())).status()).isEqualTo(200);

        assertThat(laptop.get("/api/sessions").status()).isEqualTo(401);
        assertThat(here.get("/api/auth/logins").json().path("logins")).hasSize(1);
    }

    @Test
    void aTokenCannotManageTheAccount() {
        UserClient gus = newUser("gus");
        String secret = gus.post("/api/tokens", Map.of("name", "cli")).json().path("secret").asText();
        UserClient script = UserClient.withToken(server.baseUrl(), secret);

        TestServer.Response r = script.post("/api/auth/password", Map.of("current_password", PASSWORD,
                "new_password", "a brand new password"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("code").asText()).isEqualTo("token_cannot_manage_account");
        assertThat(script.get("/api/auth/logins").status()).isEqualTo(403);
    }
}
