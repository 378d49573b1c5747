package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login is required exactly when the bind address is not loopback (or TETHER_AUTH=on). */
class ConfigLoaderSecurityTest {
    @TempDir
    Path dataDir;

    private TetherConfig load(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("TETHER_DATA_DIR", dataDir.toString());
        return new ConfigLoader(all).load();
    }

    @Test
    void aLoopbackBindNeedsNoLogin() {
        assertThat(load(Map.of("TETHER_HOST", "127.0.0.1")).security().loginRequired()).isFalse();
        assertThat(load(Map.of("TETHER_HOST", "::1")).security().loginRequired()).isFalse();
        assertThat(load(Map.of("TETHER_HOST", "localhost")).security().loginRequired()).isFalse();
    }

    @Test
    void anyOtherBindRequiresLogin() {
        assertThat(load(Map.of("TETHER_HOST", "0.0.0.0")).security().loginRequired()).isTrue();
        assertThat(load(Map.of("TETHER_HOST", "::")).security().loginRequired()).isTrue();
        assertThat(load(Map.of("TETHER_HOST", "127.example.net")).security().loginRequired()).isTrue();
    }

    @Test
    void loginMayBeSwitchedOffOnlyOnLoopback() {
        assertThat(load(Map.of("TETHER_HOST", "::ffff:127.0.0.1", "TETHER_AUTH", "off")).security().loginRequired())
                .isFalse();
        assertThatThrownBy(() -> load(Map.of("TETHER_HOST", "10.0.0.5", "TETHER_AUTH", "off")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TETHER_AUTH=off");
    }
}
