package dev.tether.model;

import static dev.tether.model.StreamRun.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigLoader;
import dev.tether.model.demo.DemoModel;
import dev.tether.model.openai.OpenAiCompatibleModel;
import dev.tether.support.FakeOpenAiServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {

    static final ModelInfo DEMO = new ModelInfo("tether-demo", "demo", "Tether demo (offline, not an LLM)", true);

    @TempDir
    Path dataDir;
    final FakeOpenAiServer provider = FakeOpenAiServer.start();

    @AfterEach
    void close() {
        provider.close();
    }

    ModelCatalog catalog(String... settings) {
        Map<String, String> env = new HashMap<>(Map.of("TETHER_DATA_DIR", dataDir.toString(), "TETHER_DEMO_TOKEN_MS", "0"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return ModelCatalog.from(new ConfigLoader(env).load());
    }

    @Test
    void withoutAProviderOffersOnlyTheDemo() {
        try (ModelCatalog catalog = catalog()) {
            assertThat(catalog.models()).containsExactly(DEMO);
            assertThat(catalog.defaultModel()).isEqualTo("tether-demo");
            assertThat(catalog.find("tether-demo")).containsInstanceOf(DemoModel.class);
            assertThat(catalog.find("gpt-4o")).isEmpty();
        }
    }

    @Test
    void configuredModelsComeFirstAndTheFirstIsTheDefault() {
        try (ModelCatalog catalog = catalog("TETHER_OPENAI_BASE_URL", provider.baseUrl(),
                "TETHER_OPENAI_MODELS", "qwen3:8b, llama3.2")) {
            assertThat(catalog.models()).containsExactly(new ModelInfo("qwen3:8b", "openai", "qwen3:8b", false),
                    new ModelInfo("llama3.2", "openai", "llama3.2", false), DEMO);
            assertThat(catalog.defaultModel()).isEqualTo("qwen3:8b");
            assertThat(catalog.find("llama3.2")).containsInstanceOf(OpenAiCompatibleModel.class);
            assertThat(provider.requests()).as("a configured list is not asked for").isEmpty();
        }
    }

    @Test
    void withoutAModelListAsksTheProviderOnce() {
        provider.script(s -> s.models("m1", "m2"));

        try (ModelCatalog catalog = catalog("TETHER_OPENAI_BASE_URL", provider.baseUrl())) {
            assertThat(catalog.models()).extracting(ModelInfo::id).containsExactly("m1", "m2", "tether-demo");
            assertThat(catalog.defaultModel()).isEqualTo("m1");
        }
        assertThat(provider.requests()).extracting(FakeOpenAiServer.RecordedRequest::path).containsExactly("/v1/models");
    }

    @Test
    void aProviderThatCannotListModelsStillLeavesTheDemo() throws Exception {
        provider.script(s -> s.httpError(500, "down"));
        try (ModelCatalog catalog = catalog("TETHER_OPENAI_BASE_URL", provider.baseUrl())) {
            assertThat(catalog.models()).containsExactly(DEMO);
        }
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        try (ModelCatalog catalog = catalog("TETHER_OPENAI_BASE_URL", "http://127.0.0.1:" + freePort + "/v1")) {
            assertThat(catalog.defaultModel()).isEqualTo("tether-demo");
        }
    }

    @Test
    void itsModelsStreamThroughTheProvider() throws Exception {
        provider.script(s -> s.text("Streamed from the fake."));
        try (ModelCatalog catalog = catalog("TETHER_OPENAI_BASE_URL", provider.baseUrl(),
                "TETHER_OPENAI_MODELS", "fake-model")) {
            StreamRun run = StreamRun.start(catalog.find(catalog.defaultModel()).orElseThrow(),
                    ask(catalog.defaultModel(), "hi"));

            assertThat(run.await(Duration.ofSeconds(10))).isNull();
            assertThat(run.sink().text()).isEqualTo("Streamed from the fake.");
        }
    }

    @Test
    void anExplicitListIsCheckedForRepeatsAndItsDefault() {
        var demo = new ModelCatalog.Entry(DEMO, new DemoModel(Duration.ZERO));

        assertThat(new ModelCatalog(List.of(demo), "tether-demo").models()).containsExactly(DEMO);
        assertThatThrownBy(() -> new ModelCatalog(List.of(demo, demo), "tether-demo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelCatalog(List.of(demo), "gpt-4o"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
