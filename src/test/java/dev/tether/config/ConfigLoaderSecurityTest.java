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

    @Test
    void trustedProxiesAreAddressesOrCidrRangesAndNothingElse() {
        TetherConfig.Security security = load(Map.of("TETHER_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5,fd00::/8")).security();
        assertThat(security.isTrustedProxy("10.200.3.4")).isTrue();
        assertThat(security.isTrustedProxy("192.168.1.5")).isTrue();
        assertThat(security.isTrustedProxy("192.168.1.6")).isFalse();
        assertThat(security.isTrustedProxy("fd12::1")).isTrue();
        assertThat(security.isTrustedProxy("11.0.0.1")).isFalse();
        assertThat(security.isTrustedProxy("proxy.example.com")).isFalse();
        assertThatThrownBy(() -> load(Map.of("TETHER_TRUSTED_PROXIES", "proxy.example.com")))
                .hasMessageContaining("TETHER_TRUSTED_PROXIES").hasMessageContaining("proxy.example.com");
        assertThatThrownBy(() -> load(Map.of("TETHER_TRUSTED_PROXIES", "10.0.0.0/33")))
                .hasMessageContaining("10.0.0.0/33");
    }
}
