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
}
