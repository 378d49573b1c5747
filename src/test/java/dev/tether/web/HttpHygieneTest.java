package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.model.ModelDelta;
import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What self-hosted peers answer with and clients count on: API answers are never cached, every
 * answer carries a Permissions-Policy, the session list says the server's time, and each session
 * its token totals (the sum of its replies' usage).
 */
class HttpHygieneTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ScriptedModel MODEL = ScriptedModel.manual();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestServer server;
    static String session;

    @BeforeAll
    static void twoRepliesWithUsage() {
        server = TestServer.with(MODEL);
        session = server.newSession();
        long[][] usage = {{120, 30}, {200, 45}};
        for (long[] u : usage) {
            server.startTurn(session, "hello");
            ScriptedModel.Call call = MODEL.nextCall(WAIT);
            call.emit("Hi").emit(new ModelDelta.Usage(u[0], u[1]));
            call.finish();
            server.awaitIdle(session);
        }
        server.startTurn(session, "no usage reported");
        MODEL.nextCall(WAIT).emit("ok").finish();
        server.awaitIdle(session);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eachSessionCarriesTheSumOfItsRepliesUsage() {
        JsonNode listed = server.get("/api/sessions").json().path("sessions").get(0);
        assertThat(listed.path("session_id").asText()).isEqualTo(session);
        assertThat(listed.path("input_tokens").asLong()).isEqualTo(320);
        assertThat(listed.path("output_tokens").asLong()).isEqualTo(75);
        JsonNode read = server.get("/api/session?session_id=" + session).json().path("session");
        assertThat(read.path("input_tokens").asLong()).isEqualTo(320);
        assertThat(read.path("output_tokens").asLong()).isEqualTo(75);
        String fresh = server.newSession();
        JsonNode empty = server.get("/api/session?session_id=" + fresh).json().path("session");
        assertThat(empty.path("input_tokens").isNumber()).isTrue();
        assertThat(empty.path("input_tokens").asLong()).isZero();
        assertThat(empty.path("output_tokens").asLong()).isZero();
    }

    @Test
    void theSessionListSaysTheServersTime() {
        Instant before = Instant.now();
        JsonNode answer = server.get("/api/sessions").json();
        Instant after = Instant.now();
        Instant serverTime = Instant.parse(answer.path("server_time").asText());
        assertThat(serverTime).isBetween(before.minusSeconds(1), after.plusSeconds(1));
    }

    @Test
    void apiAnswersAreNotStoredAndEveryAnswerHasAPermissionsPolicy() throws Exception {
        for (String path : new String[] {"/api/sessions", "/api/models", "/api/nothing-here"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            assertThat(r.headers().firstValue("Permissions-Policy")).as(path).get().asString()
                    .contains("camera=()", "microphone=()", "geolocation=()");
        }
        for (String path : new String[] {"/", "/app.js", "/health"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Permissions-Policy")).as(path).isPresent();
            assertThat(r.headers().firstValue("Cache-Control").orElse("")).as(path).doesNotContain("no-store");
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
