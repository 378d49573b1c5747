package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One answer to "is this host this machine only?", for the bind address and for a Host header. */
class LoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1",
            "localhost", "LocalHost", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::ffff:7f00:1"})
    void loopbackHosts(String host) {
        assertThat(Loopback.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "128.0.0.1",
            "127.0.0.256", "127.evil.example", "127.0.0.1.evil.example", "evil.example", "localhost.evil.example",
            "myhost", "cafe", "fe80::1%lo", "::127.0.0.1", "", " 127.0.0.1"})
    void otherHostsAreNot(String host) {
        assertThat(Loopback.isLoopback(host)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:8787", "127.0.0.1:8787", "127.0.0.1", "[::1]:8787", "[::1]",
            "[::ffff:127.0.0.1]:80"})
    void loopbackHostHeaders(String header) {
        assertThat(Loopback.isLoopbackAuthority(header)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:8787", "127.0.0.1:", "127.0.0.1:80x", "127.0.0.1:80:80", "[::1]x",
            "[::1", "::1", "0.0.0.0:8787", "[::]:8787", "127.evil.example:8787", "localhost@evil.example"})
    void otherHostHeadersAreNot(String header) {
        assertThat(Loopback.isLoopbackAuthority(header)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void noHostHeaderIsNotLoopback() {
        assertThat(Loopback.isLoopbackAuthority(null)).isFalse();
        assertThat(Loopback.isLoopback(null)).isFalse();
    }
}
