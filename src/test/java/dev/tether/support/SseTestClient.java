package dev.tether.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A real SSE client over HTTP/1.1 that records every frame it reads, for assertions. */
public final class SseTestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SseTestClient() {}

    /** One frame: id (nullable), event name, data; or a comment (name null). */
    public record Frame(String id, String event, String data, String comment) {
        public long seq() {
            return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    public static Connection open(String url, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        try {
            HttpResponse<InputStream> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Connection(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An open stream, read on its own virtual thread. */
    public static final class Connection implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final List<Frame> frames = new ArrayList<>(); // Guarded by this.
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile boolean endedByServer;

        Connection(HttpResponse<InputStream> response) {
            this.response = response;
            if (response.statusCode() == 200) {
                Thread.ofVirtual().name("sse-test-reader").start(this::read);
            } else {
                ended.countDown();
            }
        }

        public int status() {
            return response.statusCode();
        }

        public String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        /** A response header's first value, or "" when absent. */
        public String header(String name) {
            return response.headers().firstValue(name).orElse("");
        }

        /** The id of the last event received so far (what a browser sends as Last-Event-ID), or null. */
        public synchronized String lastEventId() {
            List<Frame> events = events();
            return events.isEmpty() ? null : events.getLast().id();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                StringBuilder data = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (event != null || data != null) {
                            add(new Frame(id, event == null ? "message" : event, data == null ? "" : data.toString(), null));
                        }
                        id = null;
                        event = null;
                        data = null;
                    } else if (line.startsWith(":")) {
                        add(new Frame(null, null, null, line.substring(1).trim()));
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                    }
                }
                endedByServer = true;
            } catch (IOException e) {
                // closed by us, or the connection broke
            } finally {
                ended.countDown();
            }
        }

        private synchronized void add(Frame f) {
            frames.add(f);
            notifyAll();
        }

        /** Event frames (no comments) so far. */
        public synchronized List<Frame> events() {
            return frames.stream().filter(f -> f.event() != null).toList();
        }

        public synchronized List<Frame> comments() {
            return frames.stream().filter(f -> f.comment() != null).toList();
        }

        /** Waits until the server ends the stream; true if it did within {@code timeout}. */
        public boolean awaitEnd(Duration timeout) {
            try {
                return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && endedByServer;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Waits until at least {@code n} events arrived. */
        public synchronized List<Frame> awaitEvents(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events().size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended.getCount() == 0 && events().size() < n) {
                    throw new AssertionError("expected " + n + " events, got " + events());
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return events();
        }

        public String text() {
            StringBuilder sb = new StringBuilder();
            for (Frame f : events()) {
                if (f.event().equals("token")) {
                    sb.append(f.json().path("text").asText());
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
