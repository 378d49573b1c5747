package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.Simultaneous;
import dev.tether.support.TestServer;
import dev.tether.support.UserClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The login throttle over HTTP, each test on a server of its own (a throttle remembers). */
class LoginThrottleHttpTest {
    static final String PASSWORD = "correct horse battery";
    TestServer server;

    TestServer start(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("TETHER_AUTH", "on",
                "TETHER_ADMIN_USER", "root", "TETHER_ADMIN_PASSWORD", PASSWORD));
        env.putAll(extra);
        server = TestServer.with(ScriptedModel.autoReply("ok"), env);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer.Response login(String name, String password, Map<String, String> headers) {
        UserClient c = UserClient.anonymous(server.baseUrl()).header("Origin", server.baseUrl());
        headers.forEach(c::header);
        return c.post("/api/auth/login", Map.of("name", name, "password", password));
    }

    @Test
    void guessesReleasedTogetherFromOneAddressReachTheHashOnlyWithinItsBudget() {
        start(Map.of());
        List<Integer> statuses = Simultaneous.run(200, i -> login("user" + i, "wrong guess", Map.of()).status());

        assertThat(statuses).allMatch(s -> s == 401 || s == 429 || s == 503);
        assertThat(statuses.stream().filter(s -> s == 401).count())
                .as("guesses answered on their merits (the rest were throttled or told to come back): " + statuses)
                .isLessThanOrEqualTo(20);
    }

    @Test
    void behindATrustedProxyStrangersFailuresDoNotLockOutSomeoneElse() {
        start(Map.of("TETHER_TRUSTED_PROXIES", "10.9.0.0/16, 127.0.0.0/8"));
        for (int i = 0; i < 20; i++) {
            assertThat(login("user" + i, "wrong guess", Map.of("X-Forwarded-For", "203.0.113.9")).status()).isEqualTo(401);
        }
        assertThat(login("user99", "wrong guess", Map.of("X-Forwarded-For", "203.0.113.9")).status())
                .as("the stranger's own address has spent its budget").isEqualTo(429);
        assertThat(login("root", PASSWORD, Map.of("X-Forwarded-For", "198.51.100.7")).status())
                .as("the admin, through the same proxy").isEqualTo(200);
        assertThat(login("root", PASSWORD, Map.of("X-Forwarded-For", "203.0.113.9, 10.9.4.4")).status())
                .as("the nearest untrusted hop counts, past a chain of trusted proxies").isEqualTo(429);
        assertThat(login("root", PASSWORD, Map.of("X-Forwarded-For", "203.0.113.9, 198.51.100.7")).status())
                .as("what the client wrote further left proves nothing").isEqualTo(200);
    }

    @Test
    void forwardedAddressesFromAnUntrustedPeerAreIgnored() {
        start(Map.of());
        for (int i = 0; i < 20; i++) {
            login("user" + i, "wrong guess", Map.of("X-Forwarded-For", "203.0.113." + i));
        }
        assertThat(login("root", PASSWORD, Map.of("X-Forwarded-For", "198.51.100.7")).status()).isEqualTo(429);
    }
}
