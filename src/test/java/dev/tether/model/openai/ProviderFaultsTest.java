package dev.tether.model.openai;

import static dev.tether.model.StreamRun.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.config.TetherConfig;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.StreamRun;
import dev.tether.support.FakeOpenAiServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each provider fault of SCENARIOS.md 29-33 becomes one ModelException with a type and a hint. */
class ProviderFaultsTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final Duration LONG = Duration.ofSeconds(60);

    final FakeOpenAiServer provider = FakeOpenAiServer.start();
    OpenAiCompatibleModel model = model(LONG, LONG);

    @AfterEach
    void close() {
        model.close();
        provider.close();
    }

    OpenAiCompatibleModel model(Duration firstToken, Duration idle) {
        return new OpenAiCompatibleModel(new TetherConfig.Provider(provider.baseUrl(), Optional.empty(),
                List.of("fake-model"), Duration.ofSeconds(5), firstToken, idle));
    }

    ModelException failure(StreamRun run) throws Exception {
        ModelException e = run.await(LIMIT);
        assertThat(e).as("the stream should fail").isNotNull();
        assertThat(e.getMessage()).isNotBlank();
        return e;
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"401, auth, TETHER_OPENAI_API_KEY", "403, auth, TETHER_OPENAI_API_KEY",
            "404, model_not_found, TETHER_OPENAI_MODELS", "429, rate_limited, try again",
            "500, provider_error, provider", "503, provider_error, provider", "400, bad_request, context"})
    @DisplayName("S29: an error status maps to a typed fault with the provider's words and a hint")
    void s29_errorStatusMapsToTypedFault(int status, String type, String hintMentions) throws Exception {
        provider.script(s -> s.httpError(status, "the provider says no (" + status + ")"));

        ModelException e = failure(StreamRun.start(model, ask("fake-model", "hi")));

        assertThat(e.type()).isEqualTo(type);
        assertThat(e.getMessage()).contains("HTTP " + status).contains("the provider says no (" + status + ")");
        assertThat(e.hint()).containsIgnoringCase(hintMentions);
    }

    @Test
    @DisplayName("S29: a huge non-JSON error body is cut to about 300 characters")
    void s29_nonJsonErrorBodyIsTruncated() throws Exception {
        provider.script(s -> s.httpErrorBody(502, "<html>" + "bad gateway ".repeat(10_000) + "</html>"));

        ModelException e = failure(StreamRun.start(model, ask("fake-model", "hi")));

        assertThat(e.type()).isEqualTo("provider_error");
        assertThat(e.getMessage()).contains("<html>bad gateway").hasSizeLessThan(400);
    }

    @Test
    @DisplayName("S30: stop while the provider hangs before any byte aborts the request at once")
    void s30_stopWhileHangingBeforeFirstByte() throws Exception {
        // After release the fake keeps writing long enough to notice the connection is gone.
        provider.script(s -> s.hangBeforeFirstToken().tokenCount(100).tokenDelay(Duration.ofMillis(20)));
        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
        await().atMost(LIMIT).until(() -> provider.openStreams() == 1);

        run.stop();

        assertThat(run.await(Duration.ofSeconds(5))).isInstanceOf(ModelException.Stopped.class);
        provider.release();
        await().atMost(LIMIT).until(() -> provider.abandonedStreams() == 1);
        assertThat(run.sink().deltas()).isEmpty();
    }

    @Test
    @DisplayName("S30: stop while the provider hangs mid-stream keeps the partial reply and stops")
    void s30_stopWhileHangingMidStream() throws Exception {
        provider.script(s -> s.tokenCount(5).hangAfterTokens(2));
        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
        await().atMost(LIMIT).until(() -> run.sink().all(ModelDelta.Text.class).size() == 2);

        run.stop();

        assertThat(run.await(Duration.ofSeconds(5))).isInstanceOf(ModelException.Stopped.class);
        assertThat(run.sink().text()).isEqualTo("w0 w1");
    }

    @Test
    @DisplayName("S30: no byte before the first-token timeout is a timeout fault")
    void s30_firstTokenTimeoutWithoutAnyByte() throws Exception {
        model = model(Duration.ofMillis(300), LONG);
        provider.script(s -> s.hangBeforeFirstToken());

        ModelException e = failure(StreamRun.start(model, ask("fake-model", "hi")));

        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.hint()).contains("TETHER_OPENAI_FIRST_TOKEN_TIMEOUT_MS");
    }

    @Test
    @DisplayName("S30: headers and an empty role chunk do not count as the first token")
    void s30_firstTokenTimeoutAfterHeaders() throws Exception {
        model = model(Duration.ofMillis(300), LONG);
        provider.script(s -> s.firstTokenDelay(LONG));

        ModelException e = failure(StreamRun.start(model, ask("fake-model", "hi")));

        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("no reply");
    }

    @Test
    @DisplayName("S30: silence mid-stream past the idle timeout is a timeout; the partial reply stays")
    void s30_idleTimeoutMidStream() throws Exception {
        model = model(LONG, Duration.ofMillis(300));
        provider.script(s -> s.tokenCount(5).hangAfterTokens(3));

        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
        ModelException e = failure(run);

        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.hint()).contains("TETHER_OPENAI_IDLE_TIMEOUT_MS");
        assertThat(run.sink().text()).isEqualTo("w0 w1 w2");
    }

    @Test
    @DisplayName("S30: a slow but steady stream never trips the idle timeout")
    void s30_steadyStreamOutlivesIdleTimeout() throws Exception {
        model = model(LONG, Duration.ofSeconds(2));
        provider.script(s -> s.tokenCount(12).tokenDelay(Duration.ofMillis(250)));

        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));

        assertThat(run.await(LIMIT)).isNull();
        assertThat(run.sink().all(ModelDelta.Text.class)).hasSize(12);
    }

    @Test
    @DisplayName("S31: a connection reset mid-stream is a connection fault after the partial reply")
    void s31_connectionResetMidStream() throws Exception {
        // No pause before the reset: the tokens already in the socket must reach the reply
        // (ProviderResetTest repeats this 200 times, and with a provider that answers early).
        provider.script(s -> s.tokenCount(5).resetAfterTokens(2));

        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
        ModelException e = failure(run);

        assertThat(e.type()).isEqualTo("connection");
        assertThat(e.hint()).contains("partial reply is kept");
        assertThat(run.sink().text()).isEqualTo("w0 w1");
    }

    @ParameterizedTest(name = "HTTP {0} to {1}")
    @CsvSource({"301, https://api.example.com/v1/chat/completions, https://api.example.com/v1/chat/completions",
            "307, /v2/chat/completions, /v2/chat/completions", "308, chat/completions?x=1, /v1/chat/completions?x=1"})
    @DisplayName("S29: a redirect is not followed; the fault says where it pointed")
    void s29_redirectIsNotFollowed(int status, String location, String shown) throws Exception {
        provider.script(s -> s.rawResponse("HTTP/1.1 " + status + " Moved\r\nLocation: " + location
                + "\r\nContent-Length: 0\r\n\r\n"));

        ModelException e = failure(StreamRun.start(model, ask("fake-model", "hi")));

        assertThat(e.type()).isEqualTo("connection");
        assertThat(e.getMessage()).contains("HTTP " + status).contains(shown).contains("does not follow redirects");
        assertThat(e.hint()).contains("TETHER_OPENAI_BASE_URL");
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    @DisplayName("S29: listing the models does not follow a redirect either")
    void s29_modelListRedirectIsNotFollowed() {
        provider.script(s -> s.rawResponse("HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/v1/models"
                + "\r\nContent-Length: 0\r\n\r\n"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.listModels(LIMIT))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("https://elsewhere.example/v1/models").hasMessageContaining("redirect");
    }

    @Test
    @DisplayName("S32: a compressed stream Tether did not ask for is a bad_response fault, not garbage")
    void s32_compressedStreamIsRefused() throws Exception {
        provider.script(s -> s.rawResponse("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\u001f\u008b\b\u0000"));

        ModelException e = failure(StreamRun.start(model, ask("fake-model", "hi")));

        assertThat(e.type()).isEqualTo("bad_response");
        assertThat(e.getMessage()).contains("Content-Encoding: gzip");
        assertThat(provider.lastRequest().header("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    @DisplayName("S31: a refused connection is a connection fault naming the base URL")
    void s31_connectionRefused() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        String base = "http://127.0.0.1:" + freePort + "/v1";
        try (var nowhere = new OpenAiCompatibleModel(new TetherConfig.Provider(base, Optional.empty(),
                List.of("m"), Duration.ofSeconds(5), LONG, LONG))) {
            ModelException e = failure(StreamRun.start(nowhere, ask("m", "hi")));

            assertThat(e.type()).isEqualTo("connection");
            assertThat(e.getMessage()).contains(base);
            assertThat(e.hint()).contains("TETHER_OPENAI_BASE_URL");
        }
    }

    @Test
    @DisplayName("S32: a malformed chunk is a bad_response fault after the partial reply")
    void s32_malformedChunk() throws Exception {
        provider.script(s -> s.tokenCount(5).malformedChunkAfterTokens(2));

        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
        ModelException e = failure(run);

        assertThat(e.type()).isEqualTo("bad_response");
        assertThat(e.getMessage()).contains("not valid JSON");
        assertThat(run.sink().text()).isEqualTo("w0 w1");
    }

    @Test
    @DisplayName("S33: one huge chunk arrives as several bounded text deltas")
    void s33_hugeChunkIsSplit() throws Exception {
        String huge = "ab✓😀".repeat(250_000); // 1,250,000 UTF-16 units, with surrogate pairs
        provider.script(s -> s.tokens(huge));

        StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));

        assertThat(run.await(LIMIT)).isNull();
        List<ModelDelta.Text> texts = run.sink().all(ModelDelta.Text.class);
        assertThat(texts).hasSizeGreaterThan(1)
                .allSatisfy(t -> assertThat(t.text().length()).isLessThanOrEqualTo(ChunkDecoder.MAX_DELTA_CHARS));
        assertThat(run.sink().text()).isEqualTo(huge);
    }
}
