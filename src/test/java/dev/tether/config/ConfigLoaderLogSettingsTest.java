package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TETHER_LOG_LEVEL and TETHER_LOG_FORMAT: a wrong value stops the start, in words. */
class ConfigLoaderLogSettingsTest {
    @TempDir
    Path dataDir;

    private TetherConfig load(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("TETHER_DATA_DIR", dataDir.toString());
        return new ConfigLoader(all).load();
    }

    @Test
    void knownLevelsAndFormatsAreAccepted() {
        for (String level : new String[] {"error", "WARN", "info", "debug", "trace"}) {
            assertThatCode(() -> load(Map.of("TETHER_LOG_LEVEL", level, "TETHER_LOG_FORMAT", "json")))
                    .doesNotThrowAnyException();
        }
        assertThatCode(() -> load(Map.of("TETHER_LOG_FORMAT", "text"))).doesNotThrowAnyException();
    }

    @Test
    void aWrongLevelOrFormatIsRefused() {
        assertThatThrownBy(() -> load(Map.of("TETHER_LOG_LEVEL", "verbose"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("TETHER_LOG_LEVEL must be error, warn, info, debug or trace (got 'verbose')");
        assertThatThrownBy(() -> load(Map.of("TETHER_LOG_FORMAT", "xml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("TETHER_LOG_FORMAT must be text or json (got 'xml')");
    }
}
