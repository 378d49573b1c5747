package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which proxy the settings choose for the provider, from TETHER_OPENAI_PROXY or the environment. */
class ProxySettingTest {

    @TempDir
    Path dir;

    Optional<TetherConfig.Proxy> proxyFor(String baseUrl, String... settings) {
        Map<String, String> env = new HashMap<>();
        env.put("TETHER_DATA_DIR", dir.toString());
        env.put("TETHER_OPENAI_BASE_URL", baseUrl);
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return new ConfigLoader(env).load().provider().orElseThrow().proxy();
    }

    @Test
    void anHttpsProviderUsesHttpsProxyAndAnHttpProviderHttpProxy() {
        String[] env = {"HTTPS_PROXY", "http://secure.proxy:3128", "HTTP_PROXY", "plain.proxy:8080"};

        assertThat(proxyFor("https://api.openai.com/v1", env)).hasValueSatisfying(p -> {
            assertThat(p.host()).isEqualTo("secure.proxy");
            assertThat(p.port()).isEqualTo(3128);
            assertThat(p.authorization()).isEmpty();
        });
        assertThat(proxyFor("http://ollama.lan:11434/v1", env)).hasValueSatisfying(p -> {
            assertThat(p.host()).isEqualTo("plain.proxy");
            assertThat(p.port()).isEqualTo(8080);
        });
        assertThat(proxyFor("http://ollama.lan:11434/v1", "HTTPS_PROXY", "http://secure.proxy:3128")).isEmpty();
    }

    @Test
    void theLowerCaseVariableComesFirstAndThePortDefaultsTo80() {
        assertThat(proxyFor("https://api.openai.com/v1", "HTTPS_PROXY", "http://upper:1", "https_proxy", "http://lower"))
                .hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo("http://lower:80"));
    }

    @ParameterizedTest(name = "NO_PROXY={0} for {1}: proxied={2}")
    @CsvSource(delimiter = ';', value = {
            "*; https://api.openai.com/v1; false",
            "openai.com; https://api.openai.com/v1; false",
            ".openai.com; https://api.openai.com/v1; false",
            "*.openai.com; https://openai.com/v1; false",
            "notopenai.com; https://api.openai.com/v1; true",
            "penai.com; https://api.openai.com/v1; true",
            "example.org, api.openai.com:443; https://api.openai.com/v1; false",
            "api.openai.com:8443; https://api.openai.com/v1; true",
            "10.0.0.0/8; https://10.1.2.3:8000/v1; false",
            "10.0.0.0/8; https://11.1.2.3:8000/v1; true",
            "192.168.1.7; http://192.168.1.7/v1; false",
            "fd00::/8; http://[fd12::1]:8000/v1; false",
            "[fd12::1]:8000; http://[fd12::1]:8000/v1; false",
            "10.0.0.0/8; https://ten.example/v1; true",
            "API.OPENAI.COM; https://api.openai.com/v1; false"})
    void noProxyNamesHostsDomainsAddressesAndRanges(String noProxy, String base, boolean proxied) {
        assertThat(proxyFor(base, "HTTPS_PROXY", "http://p:3128", "HTTP_PROXY", "http://p:3128", "NO_PROXY", noProxy)
                .isPresent()).isEqualTo(proxied);
        assertThat(proxyFor(base, "HTTPS_PROXY", "http://p:3128", "HTTP_PROXY", "http://p:3128", "no_proxy", noProxy)
                .isPresent()).isEqualTo(proxied);
    }

    @Test
    void environmentProxiesNeverCarryALoopbackProvider() {
        for (String base : new String[] {"http://127.0.0.1:11434/v1", "http://localhost:8000/v1", "http://[::1]:8000/v1"}) {
            assertThat(proxyFor(base, "HTTP_PROXY", "http://p:3128")).as(base).isEmpty();
        }
    }

    @Test
    void tetherOpenAiProxyOverridesTheEnvironmentAndNoProxyAndAppliesToLoopback() {
        assertThat(proxyFor("https://api.openai.com/v1", "HTTPS_PROXY", "http://env:1", "NO_PROXY", "*",
                "TETHER_OPENAI_PROXY", "http://own:2")).hasValueSatisfying(p -> assertThat(p.host()).isEqualTo("own"));
        assertThat(proxyFor("http://127.0.0.1:11434/v1", "TETHER_OPENAI_PROXY", "http://own:2")).isPresent();
        assertThat(proxyFor("https://api.openai.com/v1", "HTTPS_PROXY", "http://env:1",
                "TETHER_OPENAI_PROXY", "direct")).isEmpty();
    }

    @Test
    void credentialsInTheProxyUrlBecomeBasicAuthorizationAndAreNeverShown() {
        Optional<TetherConfig.Proxy> proxy = proxyFor("https://api.openai.com/v1",
                "TETHER_OPENAI_PROXY", "http://alice:s%40cret%3Aword@proxy.corp:3128");

        assertThat(proxy).hasValueSatisfying(p -> {
            assertThat(p.authorization()).contains("Basic YWxpY2U6c0BjcmV0OndvcmQ="); // alice:s@cret:word
            assertThat(p.toString()).isEqualTo("http://proxy.corp:3128 (with credentials)");
        });
    }

    @Test
    void aBadProxyUrlStopsTheStartNamingTheVariableButNotItsValue() {
        assertThatThrownBy(() -> proxyFor("https://api.openai.com/v1", "HTTPS_PROXY", "socks5://u:hunter2@p:1080"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HTTPS_PROXY must be an http:// proxy URL (got a socks5:// one")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> proxyFor("https://api.openai.com/v1", "TETHER_OPENAI_PROXY", "http://u:hunter2 @p:1"))
                .hasMessageContaining("TETHER_OPENAI_PROXY is not a valid proxy URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> proxyFor("https://api.openai.com/v1", "TETHER_OPENAI_PROXY", "http://p:3128/path"))
                .hasMessageContaining("without a path");
    }

    @Test
    void aBadProxyForTheOtherSchemeIsIgnored() {
        assertThat(proxyFor("https://api.openai.com/v1", "HTTP_PROXY", "socks5://p:1080")).isEmpty();
    }
}
