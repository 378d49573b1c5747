package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https providers: a TLS server with a certificate for {@code localhost} (made by the JDK's keytool),
 * trusted by the client. The host name is verified: the same server reached as 127.0.0.1 is refused.
 */
class ProviderHttpTlsTest {
    @TempDir
    static Path dir;

    private SSLServerSocket server;
    private SSLContext clientTls;

    @BeforeEach
    void start() throws Exception {
        LocalhostTls tls = new LocalhostTls(dir);
        server = tls.serverSocket();
        Thread.ofVirtual().start(this::serve);
        clientTls = tls.clientContext();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    // the request head; these requests have no body
                }
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nsecured".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // a refused handshake ends that connection only
            }
        }
    }

    @Test
    void talksToAnHttpsProviderWhoseCertificateNamesTheHost() throws Exception {
        ProviderHttp http = new ProviderHttp(URI.create("https://localhost:" + server.getLocalPort() + "/v1"),
                Duration.ofSeconds(5), clientTls, ProviderHttp.KEEP_ALIVE);
        try (Exchange e = http.send("GET", "/models", Map.of(), null, x -> { })) {
            assertThat(e.status()).isEqualTo(200);
            assertThat(new String(e.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("secured");
        }
    }

    @Test
    void refusesACertificateForAnotherHost() {
        ProviderHttp http = new ProviderHttp(URI.create("https://127.0.0.1:" + server.getLocalPort() + "/v1"),
                Duration.ofSeconds(5), clientTls, ProviderHttp.KEEP_ALIVE);

        assertThatThrownBy(() -> http.send("GET", "/models", Map.of(), null, x -> { }))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
}
