package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests Jetty refuses before Javalin sees them still get the security headers. */
class JettyErrorPagesTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /%zz HTTP/1.1", "GET /health HTTP/1.1\r\nX-Big: " + "b"})
    void jettysOwnErrorAnswersCarryTheSecurityHeaders(String head) throws Exception {
        String request = head.endsWith("b") ? head + "b".repeat(20_000) : head;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.tether().port()), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((request + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String headers = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase();
            assertThat(answer).startsWith("HTTP/1.1 4");
            assertThat(headers).contains("x-content-type-options: nosniff").contains("x-frame-options: deny")
                    .contains("content-security-policy: default-src 'self'");
        }
    }
}
