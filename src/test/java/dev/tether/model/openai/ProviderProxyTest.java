package dev.tether.model.openai;

import static dev.tether.model.StreamRun.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelException;
import dev.tether.model.StreamRun;
import dev.tether.support.FakeOpenAiServer;
import dev.tether.support.TestProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers behind an HTTP proxy ({@link TestProxy} on loopback): an http provider gets
 * absolute-form requests with the proxy's credentials, an https one a CONNECT tunnel with TLS to
 * the provider inside it. The credentials come from the proxy URL and reach nothing but the proxy.
 */
class ProviderProxyTest {

    static final String PASSWORD = "p@ss word";
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(("tether:" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    final TestProxy proxy = TestProxy.start();
    final FakeOpenAiServer provider = FakeOpenAiServer.start();
    SSLServerSocket tlsProvider;

    @AfterEach
    void close() throws IOException {
        proxy.close();
        provider.close();
        if (tlsProvider != null) {
            tlsProvider.close();
        }
    }

    /** The provider as the settings make it, through the proxy the settings name. */
    OpenAiCompatibleModel configured(String proxyUrl) {
        TetherConfig config = new ConfigLoader(Map.of("TETHER_DATA_DIR", dir.toString(),
                "TETHER_OPENAI_BASE_URL", provider.baseUrl(), "TETHER_OPENAI_MODELS", "fake-model",
                "TETHER_OPENAI_PROXY", proxyUrl)).load();
        return new OpenAiCompatibleModel(config.provider().orElseThrow());
    }

    @Test
    void anHttpProviderIsReachedThroughTheProxyWithItsCredentials() throws Exception {
        proxy.requireCredentials("tether", PASSWORD);
        try (OpenAiCompatibleModel model = configured(proxy.url("tether:p%40ss%20word"))) {
            for (int i = 0; i < 2; i++) {
                StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
                assertThat(run.await(WAIT)).isNull();
                assertThat(run.sink().text()).isEqualTo("Hello from the fake.");
            }
        }

        assertThat(proxy.seen()).as("one connection to the proxy, kept alive").hasSize(1);
        TestProxy.Seen first = proxy.seen().getFirst();
        assertThat(first.requestLine()).isEqualTo("POST " + provider.baseUrl() + "/chat/completions HTTP/1.1");
        assertThat(first.header("Host")).isEqualTo("127.0.0.1:" + provider.port());
        assertThat(first.header("Proxy-Authorization")).isEqualTo(BASIC);
        assertThat(provider.requests()).hasSize(2);
        assertThat(provider.requests().getFirst().header("Proxy-Authorization")).isNull();
    }

    @Test
    void credentialsTheProxyRefusesAreAnAuthFaultThatDoesNotShowThem() throws Exception {
        proxy.requireCredentials("tether", "another password");
        try (OpenAiCompatibleModel model = configured(proxy.url("tether:p%40ss%20word"))) {
            StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
            ModelException e = run.await(WAIT);

            assertThat(e).isNotNull();
            assertThat(e.type()).isEqualTo("auth");
            assertThat(e.getMessage()).contains("proxy").contains("HTTP 407").doesNotContain(PASSWORD);
            assertThat(e.hint()).contains("TETHER_OPENAI_PROXY");
        }
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void aProxyThatCannotBeReachedIsNamedInTheFault() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        try (OpenAiCompatibleModel model = configured("http://tether:secret@127.0.0.1:" + freePort)) {
            StreamRun run = StreamRun.start(model, ask("fake-model", "hi"));
            ModelException e = run.await(WAIT);

            assertThat(e).isNotNull();
            assertThat(e.type()).isEqualTo("connection");
            assertThat(e.getMessage()).contains("through the proxy")
                    .contains("http://127.0.0.1:" + freePort + " (with credentials)").doesNotContain("secret");
            assertThat(e.hint()).contains("HTTPS_PROXY");
        }
    }

    /** An https provider for {@code localhost}, answering "secured" to each connection's request. */
    int startTlsProvider() throws Exception {
        tlsProvider = new LocalhostTls(dir).serverSocket();
        Thread.ofVirtual().start(() -> {
            while (!tlsProvider.isClosed()) {
                try (Socket s = tlsProvider.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                        // the request head
                    }
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nsecured")
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // a refused handshake ends that connection only
                }
            }
        });
        return tlsProvider.getLocalPort();
    }

    ProviderHttp throughProxy(String base, Optional<String> authorization) throws Exception {
        SSLContext trusting = new LocalhostTls(dir).clientContext();
        return new ProviderHttp(URI.create(base), Optional.of(new TetherConfig.Proxy("127.0.0.1",
                URI.create(proxy.url(null)).getPort(), authorization)), Duration.ofSeconds(5), trusting,
                ProviderHttp.KEEP_ALIVE);
    }

    @Test
    void anHttpsProviderIsReachedThroughAConnectTunnel() throws Exception {
        proxy.requireCredentials("tether", PASSWORD);
        int port = startTlsProvider();
        ProviderHttp http = throughProxy("https://localhost:" + port + "/v1", Optional.of(BASIC));

        try (Exchange e = http.send("GET", "/models", Map.of(), null, x -> { })) {
            assertThat(e.status()).isEqualTo(200);
            assertThat(new String(e.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("secured");
        }

        assertThat(proxy.seen()).hasSize(1);
        assertThat(proxy.seen().getFirst().requestLine()).isEqualTo("CONNECT localhost:" + port + " HTTP/1.1");
        assertThat(proxy.seen().getFirst().header("Proxy-Authorization")).isEqualTo(BASIC);
    }

    @Test
    void theTunnelStillChecksTheProvidersCertificateAgainstItsName() throws Exception {
        int port = startTlsProvider();
        ProviderHttp http = throughProxy("https://127.0.0.1:" + port + "/v1", Optional.empty());

        assertThatThrownBy(() -> http.send("GET", "/models", Map.of(), null, x -> { }))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(proxy.seen().getFirst().requestLine()).isEqualTo("CONNECT 127.0.0.1:" + port + " HTTP/1.1");
    }

    @Test
    void aTunnelTheProxyRefusesSaysWhy() throws Exception {
        proxy.requireCredentials("tether", PASSWORD);
        int port = startTlsProvider();
        ProviderHttp http = throughProxy("https://localhost:" + port + "/v1", Optional.empty());

        assertThatThrownBy(() -> http.send("GET", "/models", Map.of(), null, x -> { }))
                .isInstanceOf(Route.ProxyFailure.class)
                .hasMessageContaining("refused a tunnel to localhost:" + port)
                .hasMessageContaining("HTTP 407: it wants credentials");
    }
}
