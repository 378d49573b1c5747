package dev.tether.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.support.FakeOpenAiServer;
import dev.tether.support.SseTestClient;
import dev.tether.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * SCENARIOS.md 29–32, end to end through Tether with a fake OpenAI-compatible provider:
 * 29 — provider 401/404/429/500: one apperror with message and hint, session idle;
 * 30 — provider hangs before the first token / mid-stream: bounded timeouts, then apperror;
 *      cancel works meanwhile;
 * 31 — connection reset mid-stream: the partial reply is kept and marked; one terminal event;
 * 32 — malformed chunk: apperror, no crash, no stuck turn.
 */
class S29_ProviderFaultsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static FakeOpenAiServer provider;
    static TestServer server;

    @BeforeAll
    static void start() {
        provider = FakeOpenAiServer.start();
        server = TestServer.withConfiguredModels(Map.of(
                "TETHER_OPENAI_BASE_URL", provider.baseUrl(),
                "TETHER_OPENAI_MODELS", "fake-model",
                "TETHER_OPENAI_FIRST_TOKEN_TIMEOUT_MS", "1500",
                "TETHER_OPENAI_IDLE_TIMEOUT_MS", "1500"));
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.close();
    }

    @BeforeEach
    void reset() {
        provider.release();
        provider.resetScripts();
    }

    @ParameterizedTest(name = "provider answers {0}")
    @CsvSource({"401, auth", "404, model_not_found", "429, rate_limited", "500, provider_error"})
    void httpErrorsBecomeOneAppErrorWithAHint(int status, String type) {
        provider.script(s -> s.httpError(status, "provider says no"));
        Ended ended = runTurn("hello");
        JsonNode error = ended.terminal().json();
        assertThat(ended.terminal().event()).isEqualTo("apperror");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("hint").asText()).isNotBlank();
        assertIdleWithUserMessageKept(ended, "error");
    }

    @Test
    void hangBeforeFirstTokenTimesOut() {
        provider.script(s -> s.hangBeforeFirstToken());
        Ended ended = runTurn("hello");
        assertThat(ended.terminal().json().path("type").asText()).isEqualTo("timeout");
        assertIdleWithUserMessageKept(ended, "error");
    }

    @Test
    void hangMidStreamTimesOutAndKeepsThePartialReply() {
        provider.script(s -> s.tokens("one ", "two ", "three").hangAfterTokens(2));
        Ended ended = runTurn("hello");
        assertThat(ended.terminal().json().path("type").asText()).isEqualTo("timeout");
        JsonNode reply = assertIdleWithUserMessageKept(ended, "error");
        assertThat(reply.path("content").asText()).isEqualTo("one two ");
    }

    @Test
    void cancelWorksWhileTheProviderHangs() {
        provider.script(s -> s.hangBeforeFirstToken());
        String session = server.newSession();
        String turn = server.startTurn(session, "hello");
        TestServer.Response cancel = server.post("/api/chat/cancel", Map.of("stream_id", turn));
        assertThat(cancel.json().path("cancelled").asBoolean()).isTrue();
        try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            assertThat(c.awaitEnd(WAIT)).isTrue();
            assertThat(c.events()).extracting(SseTestClient.Frame::event).containsExactly("cancel");
        }
        assertThat(server.session(session).path("is_streaming").asBoolean()).isFalse();
    }

    @Test
    void resetMidStreamKeepsThePartialReplyMarked() {
        provider.script(s -> s.tokens("kept ", "text ", "lost").resetAfterTokens(2)); // no pause before the reset
        Ended ended = runTurn("hello");
        assertThat(ended.terminal().json().path("type").asText()).isEqualTo("connection");
        JsonNode reply = assertIdleWithUserMessageKept(ended, "error");
        assertThat(reply.path("content").asText()).isEqualTo(ended.streamedText()).isEqualTo("kept text ");
    }

    @Test
    void malformedChunkEndsTheTurnWithAnAppError() {
        provider.script(s -> s.tokens("fine ", "then ", "garbage").malformedChunkAfterTokens(1));
        Ended ended = runTurn("hello");
        assertThat(ended.terminal().json().path("type").asText()).isEqualTo("bad_response");
        assertIdleWithUserMessageKept(ended, "error");
        // The server is still fine: the next turn works.
        provider.resetScripts();
        provider.script(s -> s.tokens("all ", "good"));
        assertThat(runTurn("again").terminal().event()).isEqualTo("done");
    }

    private record Ended(String session, String turn, SseTestClient.Frame terminal, String streamedText) {}

    private Ended runTurn(String message) {
        String session = server.newSession();
        String turn = server.startTurn(session, message);
        try (SseTestClient.Connection c = server.stream("/api/chat/stream?stream_id=" + turn, Map.of())) {
            assertThat(c.awaitEnd(WAIT)).as("the stream ends").isTrue();
            List<SseTestClient.Frame> terminals = c.events().stream()
                    .filter(e -> List.of("done", "cancel", "apperror").contains(e.event())).toList();
            assertThat(terminals).as("exactly one terminal event").hasSize(1);
            return new Ended(session, turn, terminals.getFirst(), c.text());
        }
    }

    private static JsonNode assertIdleWithUserMessageKept(Ended ended, String status) {
        JsonNode s = server.session(ended.session());
        assertThat(s.path("is_streaming").asBoolean()).isFalse();
        assertThat(s.path("messages").get(0).path("role").asText()).isEqualTo("user");
        JsonNode reply = s.path("messages").get(1);
        assertThat(reply.path("status").asText()).isEqualTo(status);
        assertThat(reply.path("error").asText()).isNotBlank();
        return reply;
    }
}
