package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Response heads as the provider client reads them, RFC 9110 (repeated fields) and RFC 9112
 * (framing): each case is a raw answer from a socket server, read through {@link ProviderHttp}.
 */
class ProviderResponseHeadTest {

    private final AtomicInteger accepted = new AtomicInteger();
    private ServerSocket server;
    private ProviderHttp http;

    /** Answers every request on every connection with {@code answer}; closes after it if {@code close}. */
    void answer(String answer, boolean close) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, answer, close));
                } catch (IOException e) {
                    return;
                }
            }
        });
        http = new ProviderHttp(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1"), Duration.ofSeconds(5));
    }

    private static void serve(Socket s, String answer, boolean close) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            while (true) {
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    // the request head; GET has no body
                }
                if (line == null) {
                    return;
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    @AfterEach
    void close() throws IOException {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The body of one GET, after {@code check} looked at the exchange; the connection reused if it may be. */
    String get(java.util.function.Consumer<Exchange> check) throws IOException {
        try (Exchange e = http.send("GET", "/models", Map.of(), null, x -> { })) {
            check.accept(e);
            String body = new String(e.body().readAllBytes(), StandardCharsets.UTF_8);
            e.reuse();
            return body;
        }
    }

    @Test
    void repeatedFieldLinesAreOneFieldJoinedInOrder() throws IOException {
        answer("HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\nX-Thing: a\r\ncache-control: no-store\r\n"
                + "x-thing: b\r\nContent-Length: 2\r\n\r\nok", false);

        get(e -> {
            assertThat(e.header("Cache-Control", null)).isEqualTo("no-cache, no-store");
            assertThat(e.header("X-THING", null)).isEqualTo("a, b");
            assertThat(e.header("Absent", "fallback")).isEqualTo("fallback");
        });
    }

    @Test
    void aFoldedLineContinuesThePreviousValue() throws IOException {
        answer("HTTP/1.1 200 OK\r\nX-Long: one\r\n two\r\n\tthree\r\nContent-Length: 2\r\n\r\nok", false);

        get(e -> assertThat(e.header("x-long", null)).isEqualTo("one two three"));
    }

    @Test
    void aContentLengthThatIsNotADecimalNumberIsAnError() throws IOException {
        for (String bad : new String[] {"-1", "+5", "0x10", "", "1e3", "99999999999999999999"}) {
            close();
            answer("HTTP/1.1 200 OK\r\nContent-Length: " + bad + "\r\n\r\nok", true);

            assertThatThrownBy(() -> get(e -> { })).as(bad).isInstanceOf(IOException.class)
                    .hasMessageContaining("bad Content-Length");
        }
    }

    @Test
    void onlyTheChunkedTransferCodingIsAccepted() throws IOException {
        answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false);
        assertThat(get(e -> { })).isEqualTo("ok");

        for (String codings : new String[] {"Transfer-Encoding: gzip, chunked",
                "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", "Transfer-Encoding: chunked, gzip",
                "Transfer-Encoding: gzip"}) {
            close();
            answer("HTTP/1.1 200 OK\r\n" + codings + "\r\n\r\n2\r\nok\r\n0\r\n\r\n", true);

            assertThatThrownBy(() -> get(e -> { })).as(codings).isInstanceOf(IOException.class)
                    .hasMessageContaining("does not decode");
        }
    }

    @Test
    void transferEncodingInAnHttp10ResponseIsAnError() throws IOException {
        answer("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", true);

        assertThatThrownBy(() -> get(e -> { })).isInstanceOf(IOException.class).hasMessageContaining("HTTP/1.0");
    }

    @Test
    void withoutFramingFieldsTheBodyRunsToTheEndOfTheConnection() throws IOException {
        answer("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nuntil the end", true);
        assertThat(get(e -> { })).isEqualTo("until the end");

        close();
        accepted.set(0);
        answer("HTTP/1.1 204 No Content\r\n\r\n", false);
        assertThat(get(e -> assertThat(e.status()).isEqualTo(204))).isEmpty();
        assertThat(get(e -> assertThat(e.status()).isEqualTo(204))).isEmpty();
        assertThat(accepted).as("a 204 has no body, so its connection is reused").hasValue(1);
    }

    @Test
    void connectionCloseIsATokenOfTheJoinedList() throws IOException {
        answer("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: Close\r\nContent-Length: 2\r\n\r\nok", false);
        get(e -> { });
        get(e -> { });
        assertThat(accepted).as("close in the second field line").hasValue(2);

        close();
        accepted.set(0);
        answer("HTTP/1.1 200 OK\r\nConnection: keep-alive, closed-captions\r\nContent-Length: 2\r\n\r\nok", false);
        get(e -> { });
        get(e -> { });
        assertThat(accepted).as("closed-captions is not close").hasValue(1);

        close();
        accepted.set(0);
        answer("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
        get(e -> { });
        get(e -> { });
        assertThat(accepted).as("HTTP/1.0 without keep-alive").hasValue(2);
    }
}
