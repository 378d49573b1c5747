package dev.tether.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /metrics is not public: a loopback peer that came straight in reads it; a request a proxy
 * forwarded (so from anywhere) needs an admin's API token.
 */
class MetricsAccessTest {
    static final String PASSWORD = "correct horse battery";
    static TestServer server;
    static String adminToken;
    static String userToken;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("hi"), Map.of("TETHER_AUTH", "on",
                "TETHER_ADMIN_PASSWORD", PASSWORD));
        UserClient admin = UserClient.login(server.baseUrl(), "admin", PASSWORD);
        assertThat(admin.post("/api/admin/users", Map.of("name", "carol", "password", PASSWORD)).status()).isEqualTo(200);
        adminToken = admin.post("/api/tokens", Map.of("name", "prometheus")).json().path("secret").asText();
        userToken = UserClient.login(server.baseUrl(), "carol", PASSWORD).post("/api/tokens", Map.of("name", "x"))
                .json().path("secret").asText();
        admin.post("/api/auth/login", Map.of("name", "admin", "password", "wrong password!"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLoopbackPeerReadsThemWithoutLogin() {
        TestServer.Response r = UserClient.anonymous(server.baseUrl()).get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("tether_login_failures_total{reason=\"refused\"} 1.0");
    }

    @Test
    void aForwardedRequestWithoutATokenIs401() {
        for (String header : List.of("X-Forwarded-For", "Forwarded", "X-Real-IP")) {
            TestServer.Response r = UserClient.anonymous(server.baseUrl()).header(header, "203.0.113.9").get("/metrics");
            assertThat(r.status()).as(header).isEqualTo(401);
            assertThat(r.json().path("code").asText()).isEqualTo("unauthenticated");
            assertThat(r.body()).doesNotContain("tether_turns");
        }
    }

    @Test
    void aForwardedRequestWithAUsersTokenIsRefused() {
        TestServer.Response r = UserClient.withToken(server.baseUrl(), userToken).header("X-Forwarded-For", "203.0.113.9")
                .get("/metrics");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("code").asText()).isEqualTo("admin_only");
    }

    @Test
    void aForwardedRequestWithALoginCookieIsRefused() {
        TestServer.Response r = UserClient.login(server.baseUrl(), "admin", PASSWORD).header("X-Forwarded-For", "203.0.113.9")
                .get("/metrics");
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void aForwardedRequestWithAnAdminsTokenReadsThem() {
        TestServer.Response r = UserClient.withToken(server.baseUrl(), adminToken).header("X-Forwarded-For", "203.0.113.9")
                .get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("tether_turns_started_total");
    }
}
