package dev.tether.model.openai;

import static dev.tether.model.StreamRun.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelDelta;
import dev.tether.model.ModelException;
import dev.tether.model.ModelRequest;
import dev.tether.model.ModelRequest.ChatMessage;
import dev.tether.model.RecordingSink;
import dev.tether.model.StopSignal;
import dev.tether.model.StreamRun;
import dev.tether.support.FakeOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiCompatibleModelTest {

    static final Duration LIMIT = Duration.ofSeconds(10);

    FakeOpenAiServer provider;
    OpenAiCompatibleModel model;

    @BeforeEach
    void start() {
        provider = FakeOpenAiServer.start();
        model = new OpenAiCompatibleModel(settings(provider.baseUrl(), Optional.of("sk-test")));
    }

    @AfterEach
    void stop() {
        model.close();
        provider.close();
    }

    static TetherConfig.Provider settings(String baseUrl, Optional<String> key) {
        return new TetherConfig.Provider(baseUrl, key, List.of("fake-model"), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void streamsTextTokensInOrderThenUsage() throws Exception {
        provider.script(s -> s.tokens("Hel", "lo, ", "wor", "ld"));

        StreamRun run = StreamRun.start(model, ask("fake-model", "say hello to the world"));

        assertThat(run.await(LIMIT)).isNull();
        assertThat(run.sink().all(ModelDelta.Text.class)).extracting(ModelDelta.Text::text)
                .containsExactly("Hel", "lo, ", "wor", "ld");
        assertThat(run.sink().deltas().getLast()).isEqualTo(new ModelDelta.Usage(5, 4));
    }

    @Test
    void sendsTheWholeHistoryWithStreamingUsageAndKey() throws Exception {
        List<ChatMessage> history = List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "first question"), new ChatMessage("assistant", "first answer"),
                new ChatMessage("user", "second \"question\" ✓"));

        assertThat(StreamRun.start(model, new ModelRequest("fake-model", history)).await(LIMIT)).isNull();

        FakeOpenAiServer.RecordedRequest sent = provider.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("fake-model");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        List<ChatMessage> received = new ArrayList<>();
        body.path("messages").forEach(m -> received.add(new ChatMessage(m.path("role").asText(), m.path("content").asText())));
        assertThat(received).isEqualTo(history);
    }

    @Test
    void eachModelIdReachesTheProviderAsIs() throws Exception {
        provider.script("qwen3:8b", s -> s.text("from qwen"));

        StreamRun qwen = StreamRun.start(model, ask("qwen3:8b", "hi"));
        StreamRun other = StreamRun.start(model, ask("fake-model", "hi"));

        assertThat(qwen.await(LIMIT)).isNull();
        assertThat(other.await(LIMIT)).isNull();
        assertThat(qwen.sink().text()).isEqualTo("from qwen");
        assertThat(other.sink().text()).isEqualTo("Hello from the fake.");
    }

    @Test
    void sendsNoAuthorizationWithoutAKey() throws Exception {
        try (var keyless = new OpenAiCompatibleModel(settings(provider.baseUrl(), Optional.empty()))) {
            assertThat(StreamRun.start(keyless, ask("fake-model", "hi")).await(LIMIT)).isNull();
        }
        assertThat(provider.lastRequest().header("Authorization")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"reasoning_content", "reasoning"})
    void streamsReasoningBeforeText(String field) throws Exception {
        provider.script(s -> s.reasoningField(field).reasoning("Let me ", "think.").tokens("Done."));

        StreamRun run = StreamRun.start(model, ask("fake-model", "think"));

        assertThat(run.await(LIMIT)).isNull();
        assertThat(run.sink().reasoning()).isEqualTo("Let me think.");
        assertThat(run.sink().deltas().getFirst()).isInstanceOf(ModelDelta.Reasoning.class);
        assertThat(run.sink().text()).isEqualTo("Done.");
    }

    @Test
    void assemblesAToolCallFromItsFragments() throws Exception {
        provider.script(s -> s.tokens().toolCall("call_7", "get_weather", "{\"city\":\"Paris\",\"unit\":\"C\"}"));

        StreamRun run = StreamRun.start(model, ask("fake-model", "weather?"));

        assertThat(run.await(LIMIT)).isNull();
        assertThat(run.sink().all(ModelDelta.ToolCall.class)).containsExactly(
                new ModelDelta.ToolCall("call_7", "get_weather", "{\"city\":\"Paris\",\"unit\":\"C\"}"));
    }

    @Test
    void anAlreadyFiredStopSendsNothing() {
        StopSignal stop = new StopSignal();
        stop.fire();

        assertThatThrownBy(() -> model.stream(ask("fake-model", "hi"), new RecordingSink(), stop))
                .isInstanceOf(ModelException.Stopped.class);
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void servesManyConcurrentStreamsOnOneClient() throws Exception {
        provider.script(s -> s.tokenCount(20).tokenDelay(Duration.ofMillis(2)));
        List<StreamRun> runs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            runs.add(StreamRun.start(model, ask("fake-model", "stream " + i)));
        }
        for (StreamRun run : runs) {
            assertThat(run.await(Duration.ofSeconds(30))).isNull();
            assertThat(run.sink().all(ModelDelta.Text.class)).hasSize(20);
        }
    }

    @Test
    void listsTheProvidersModels() throws Exception {
        provider.script(s -> s.models("llama3.2", "qwen3:8b"));

        assertThat(model.listModels(LIMIT)).containsExactly("llama3.2", "qwen3:8b");
        assertThat(provider.lastRequest().header("Authorization")).isEqualTo("Bearer sk-test");
    }

    @Test
    void aFailedModelListIsAModelException() {
        provider.script(s -> s.httpError(401, "bad key"));

        assertThatThrownBy(() -> model.listModels(LIMIT)).isInstanceOf(ModelException.class)
                .hasMessageContaining("bad key")
                .satisfies(e -> assertThat(((ModelException) e).type()).isEqualTo("auth"));
    }
}
