package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's settings are checked at start; a value that could break a request head never gets further. */
class ProviderSettingsTest {

    static final String SECRET = "sk-live-1234567890";

    @TempDir
    Path dir;

    TetherConfig load(String... settings) {
        Map<String, String> env = new HashMap<>();
        env.put("TETHER_DATA_DIR", dir.toString());
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return new ConfigLoader(env).load();
    }

    @Test
    void aLineBreakInTheApiKeyStopsTheStartWithoutShowingTheKey() {
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1",
                "TETHER_OPENAI_API_KEY", SECRET + "\r\nX-Injected: 1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TETHER_OPENAI_API_KEY has a line break (CR) at character 19")
                .hasMessageNotContaining(SECRET).hasMessageNotContaining("X-Injected");
    }

    @Test
    void controlCharactersSpacesAndNonAsciiInTheApiKeyAreRefused() {
        for (String bad : new String[] {"sk\u0000x", "sk x", "sk\tx", "sk\u007fx", "ské"}) {
            assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "http://127.0.0.1/v1", "TETHER_OPENAI_API_KEY", bad))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("TETHER_OPENAI_API_KEY has")
                    .hasMessageContaining("at character 3");
        }
    }

    @Test
    void aKeyWithATrailingNewlineFromAFileIsTrimmedAndAccepted() {
        TetherConfig config = load("TETHER_OPENAI_BASE_URL", "http://127.0.0.1/v1", "TETHER_OPENAI_API_KEY", SECRET + "\n");

        assertThat(config.provider().orElseThrow().apiKey()).contains(SECRET);
        assertThat(config.provider().orElseThrow().toString()).doesNotContain(SECRET);
    }

    @Test
    void aControlCharacterInAModelIdNamesWhichOne() {
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "http://127.0.0.1/v1",
                "TETHER_OPENAI_MODELS", "llama3, qwen\u000b2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TETHER_OPENAI_MODELS: model id 2 has a control character (U+000B) at character 5");
    }

    @Test
    void aBaseUrlThatIsNotAUrlIsRefusedWithWhereItBreaks() {
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "http://127.0.0.1/v1\r\nHost: evil"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TETHER_OPENAI_BASE_URL is not a valid URL").hasMessageContaining("at character 20");
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "http:///v1"))
                .hasMessageContaining("TETHER_OPENAI_BASE_URL must name a host");
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "ftp://example.com/v1"))
                .hasMessageContaining("must start with http:// or https://");
    }

    @Test
    void credentialsInTheBaseUrlAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "https://me:" + SECRET + "@api.example.com/v1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must not carry credentials").hasMessageNotContaining(SECRET);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> load("TETHER_OPENAI_BASE_URL", "http://127.0.0.1/v1",
                "TETHER_OPENAI_API_KEY", "a\nb", "TETHER_OPENAI_MODELS", "m\u0001x"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
    }
}
