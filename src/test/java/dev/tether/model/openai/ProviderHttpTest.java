package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's HTTP/1.1 client against a raw socket server that scripts each response. */
class ProviderHttpTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.Semaphore connectionsEnded = new java.util.concurrent.Semaphore(0);
    private ServerSocket server;
    private ProviderHttp http;

    /** What the server does with request number {@code n} (from 0) on its connection; false closes it. */
    interface Responder {
        boolean respond(int n, String requestHead, OutputStream out, Socket socket) throws IOException;
    }

    void serve(Responder responder) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> connection(s, responder));
                } catch (IOException e) {
                    return;
                }
            }
        });
        http = new ProviderHttp(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1"), Duration.ofSeconds(5));
    }

    private void connection(Socket s, Responder responder) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int n = 0; ; n++) {
                String head = head(in);
                if (head == null) {
                    connectionsEnded.release(); // the client closed it
                    return;
                }
                int length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
                requests.add(head.lines().findFirst().orElseThrow() + " " + new String(in.readNBytes(length),
                        StandardCharsets.UTF_8));
                if (!responder.respond(n, head, s.getOutputStream(), s)) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
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

    private String post(String body) throws IOException {
        return post(http, body);
    }

    private static String post(ProviderHttp http, String body) throws IOException {
        try (Exchange e = http.send("POST", "/chat/completions", JSON, body.getBytes(StandardCharsets.UTF_8), x -> { })) {
            String text = e.status() + " " + new String(e.body().readAllBytes(), StandardCharsets.UTF_8);
            e.reuse();
            return text;
        }
    }

    @Test
    void readsAChunkedBodyAndReusesTheConnection() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "6\r\ndata: \r\n" + "4;ext=1\r\nx" + n + "\n\n\r\n" + "0\r\nTrailer: t\r\n\r\n");
            return true;
        });

        assertThat(post("{\"a\":1}")).isEqualTo("200 data: x0\n\n");
        assertThat(post("{\"a\":2}")).isEqualTo("200 data: x1\n\n");

        assertThat(accepted).hasValue(1);
        assertThat(requests).containsExactly("POST /v1/chat/completions HTTP/1.1 {\"a\":1}",
                "POST /v1/chat/completions HTTP/1.1 {\"a\":2}");
    }

    @Test
    void aStreamReadUpToItsLastEventStillGivesTheConnectionBack() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "e\r\ndata: [DONE]\n\n\r\n");
            write(out, "0\r\n\r\n"); // the last chunk comes apart from the data, as it often does
            return true;
        });
        for (int i = 0; i < 3; i++) {
            try (Exchange e = http.send("POST", "/chat/completions", JSON, new byte[0], x -> { })) {
                assertThat(new String(e.body().readNBytes(14), StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
                e.reuse(); // the reader stopped at [DONE], before the last chunk
            }
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void contentLengthBodiesReuseTheConnectionAndCloseDelimitedOnesDoNot() throws Exception {
        serve((n, head, out, s) -> {
            if (n == 0) {
                write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!");
                return true;
            }
            write(out, "HTTP/1.1 200 OK\r\n\r\nuntil close");
            return false;
        });

        assertThat(post("")).isEqualTo("404 nope!");
        assertThat(post("")).isEqualTo("200 until close");
        assertThat(post("")).isEqualTo("404 nope!");

        assertThat(accepted).hasValue(2);
    }

    @Test
    void idleConnectionsPastTheKeepAliveAreClosed() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        ProviderHttp noKeepAlive = new ProviderHttp(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                Duration.ofSeconds(5), ProviderHttp.defaultTls(),
                Duration.ZERO);

        assertThat(post(noKeepAlive, "")).isEqualTo("200 ok");

        assertThat(connectionsEnded.tryAcquire(5, TimeUnit.SECONDS)).as("the expired connection was closed").isTrue();
        assertThat(post(noKeepAlive, "")).isEqualTo("200 ok");
        assertThat(accepted).hasValue(2);
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            return true; // keeps it open, but said it would not: the client must not reuse it
        });

        assertThat(post("")).isEqualTo("200 ok");
        assertThat(post("")).isEqualTo("200 ok");

        assertThat(accepted).hasValue(2);
    }

    @Test
    void aPooledConnectionTheProviderClosedIsReplacedAndTheRequestSentOnce() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return false; // closes after each response without saying so (an idle timeout)
        });

        assertThat(post("{\"first\":1}")).isEqualTo("200 ok");
        assertThat(post("{\"second\":2}")).isEqualTo("200 ok");

        assertThat(accepted).hasValue(2);
        assertThat(requests).hasSize(2).last().asString().endsWith("{\"second\":2}");
    }

    /**
     * The race behind the test above, forced: the provider drops a pooled connection just as the
     * next request goes out on it (it reads the request, then closes without a byte of answer).
     */
    @Test
    void aRequestThatAPooledConnectionLostUnansweredGoesAgainOnANewOne() throws Exception {
        serve((n, head, out, s) -> {
            if (n == 1) {
                return false; // closed under the second request, as an idle timeout racing it would
            }
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });

        assertThat(post("{\"first\":1}")).isEqualTo("200 ok");
        assertThat(post("{\"second\":2}")).isEqualTo("200 ok");

        assertThat(accepted).hasValue(2);
        assertThat(requests).last().asString().endsWith("{\"second\":2}");
    }

    @Test
    void aResponseThatBrokeOffIsNotSentAgain() throws Exception {
        serve((n, head, out, s) -> {
            if (n == 0) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                return true;
            }
            write(out, "HTTP/1.1 200 O"); // the provider got it and began to answer
            s.setSoLinger(true, 0);
            return false;
        });
        assertThat(post("")).isEqualTo("200 ok");

        assertThatThrownBy(() -> post("{\"once\":1}")).isInstanceOf(IOException.class);

        assertThat(requests).hasSize(2);
    }

    @Test
    void anAbortAfterTheConnectionWentBackToThePoolDoesNotCloseIt() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nr" + n + "!");
            return true;
        });
        Exchange first = http.send("POST", "/chat/completions", JSON, new byte[0], x -> { });
        assertThat(first.body().readAllBytes()).hasSize(3);
        first.reuse();

        first.abort(); // a late stop of the finished call
        first.close();

        assertThat(post("")).isEqualTo("200 r1!");
        assertThat(accepted).hasValue(1);
    }

    @Test
    void anAbortUnblocksASenderWaitingForTheResponse() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        serve((n, head, out, s) -> {
            received.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        AtomicReference<Exchange> inFlight = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                http.send("POST", "/chat/completions", JSON, new byte[0], inFlight::set);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.countDown();
            }
        });
        assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();

        inFlight.get().abort();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isInstanceOf(IOException.class);
        assertThat(inFlight.get().isAborted()).isTrue();
        never.countDown();
    }

    @Test
    void anEndlessResponseHeadIsRefused() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 5000; i++) {
                write(out, "X-Padding-" + i + ": " + "y".repeat(20) + "\r\n");
            }
            return false;
        });

        assertThatThrownBy(() -> post("")).isInstanceOf(IOException.class).hasMessageContaining("larger than");
    }

    @Test
    void badChunkFramingIsAnError() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
            return false;
        });

        assertThatThrownBy(() -> post("")).isInstanceOf(IOException.class).hasMessageContaining("chunk size");
    }

    @Test
    void repeatedEqualLengthsAreOneAndTheConnectionIsKept() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });

        assertThat(post("")).isEqualTo("200 ok");
        assertThat(post("")).isEqualTo("200 ok");

        assertThat(accepted).hasValue(1);
    }

    @Test
    void conflictingLengthsAreAnErrorAndTheConnectionIsNotKept() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 12\r\n\r\nok smuggled!");
            return true;
        });

        assertThatThrownBy(() -> post("")).isInstanceOf(IOException.class).hasMessageContaining("conflicting");
        assertThatThrownBy(() -> post("")).isInstanceOf(IOException.class).hasMessageContaining("conflicting");

        assertThat(accepted).hasValue(2);
    }

    @Test
    void chunkedWinsOverALengthAndTheConnectionIsNotReused() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nwhole\r\n0\r\n\r\n");
            return true;
        });

        assertThat(post("")).isEqualTo("200 whole");
        assertThat(post("")).isEqualTo("200 whole");

        assertThat(accepted).hasValue(2);
    }

    @Test
    void aHeaderValueThatWouldEndItsLineIsRefusedBeforeAnythingIsSent() throws Exception {
        serve((n, head, out, s) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });

        assertThatThrownBy(() -> http.send("GET", "/models", Map.of("Authorization", "Bearer sk\r\nX-Evil: 1"), null,
                x -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Authorization").hasMessageNotContaining("sk");

        assertThat(accepted).as("not even a connection").hasValue(0);
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        http = new ProviderHttp(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5));

        assertThatThrownBy(() -> post("")).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void onlyHttpAndHttpsUrlsAreAccepted() {
        assertThatThrownBy(() -> new ProviderHttp(URI.create("ftp://example.com/v1"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
