package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.support.ScriptedModel;
import dev.tether.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without login, Tether answers only to loopback names and to its own pages. */
class LocalModeGateTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.with(ScriptedModel.autoReply("ok"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDnsRebindingHostIsRefused() throws Exception {
        assertThat(rawGet("evil.example:" + server.tether().port())).startsWith("HTTP/1.1 403").contains("bad_host");
        assertThat(rawGet("localhost:" + server.tether().port())).startsWith("HTTP/1.1 200");
        assertThat(rawGet("127.0.0.1:" + server.tether().port())).startsWith("HTTP/1.1 200");
        assertThat(rawGet("[::1]:" + server.tether().port())).startsWith("HTTP/1.1 200");
    }

    @Test
    void anotherSitesPageCannotPostToTheLocalServer() {
        int before = server.get("/api/sessions").json().path("sessions").size();
        TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/api/session/new"))
                .header("Origin", "https://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).isEqualTo(403);
        assertThat(server.get("/api/sessions").json().path("sessions").size()).isEqualTo(before);
    }

    @Test
    void aScriptWithoutOriginMayPostButFetchSiteNoneIsRefused() {
        int before = server.get("/api/sessions").json().path("sessions").size();
        assertThat(server.post("/api/session/new", "{}").status()).isEqualTo(200); // curl sends neither header
        TestServer.Response none = server.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/api/session/new"))
                .header("Sec-Fetch-Site", "none").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().path("code").asText()).isEqualTo("cross_origin");
        assertThat(server.get("/api/sessions").json().path("sessions").size()).isEqualTo(before + 1);
    }

    private static String rawGet(String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.tether().port())) {
            s.getOutputStream().write(("GET /api/sessions HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
