package dev.tether.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One request on Jetty's client and its response: the head, and the body as a blocking stream read
 * on the caller's own thread from Jetty's {@code Content.Source}, so a token reaches the reader as
 * soon as Jetty parsed it. A body read to its end gives the connection back to Jetty's pool;
 * anything else aborts the request, which closes its connection.
 *
 * <p>Checks Jetty leaves to its user, as RFC 9110 and 9112 say: repeated field lines are one field
 * ({@link #header}); a transfer coding other than {@code chunked}, or any in an HTTP/1.0 answer, is
 * refused (nothing here decodes it); {@code Transfer-Encoding} with {@code Content-Length} is read
 * as chunked and the connection is then not reused.
 *
 * <p>Threading: the sending thread does everything but {@link #abort}, which any thread may call
 * (a stop or timeout) and which fails the request wherever the sender waits: connecting, sending,
 * waiting for the head or reading the body. Jetty's threads write {@code body} and {@code chunked}
 * before they complete {@code head}, which publishes them to the sender; {@code aborted} is
 * volatile.
 */
final class Exchange implements AutoCloseable {
    static final long DRAIN_WAIT_MS = 100;
    static final int DRAIN_MAX_BYTES = 64 << 10;

    private final Request request;
    private final Route route;
    private final Scheduler scheduler;
    private final CompletableFuture<Response> head = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>(); // Jetty is done with the connection
    private volatile boolean aborted;
    private Response response;
    private InputStream body = InputStream.nullInputStream();
    private boolean chunked;
    private boolean finished;

    Exchange(Request request, Route route, Scheduler scheduler) {
        this.request = request;
        this.route = route;
        this.scheduler = scheduler;
    }

    /** Sends the request and waits for the response head; an abort meanwhile fails it at once. */
    void exchange() throws IOException {
        request.onResponseContentSource(this::answered);
        request.send(result -> {
            ended.complete(null);
            if (result.isFailed()) {
                head.completeExceptionally(result.getFailure());
            } else {
                head.complete(result.getResponse()); // an answer without a body
            }
        });
        try {
            response = head.get();
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the provider");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        if (!(body instanceof Body)) {
            finished = true; // the answer had no body
        }
    }

    /** On a Jetty thread, once the head is in. */
    private void answered(Response r, Content.Source source) {
        Framing framing = checkFraming(r);
        if (framing.refusal != null) {
            r.abort(new IOException(framing.refusal));
            return;
        }
        chunked = framing.chunked;
        body = new Body(Content.Source.asInputStream(source));
        head.complete(r);
    }

    /** How the body is framed: chunked or not, or why it is refused ({@code null} if it is not). */
    private record Framing(String refusal, boolean chunked) {}

    private static Framing checkFraming(Response r) {
        List<String> codings = r.getHeaders().getCSV(HttpHeader.TRANSFER_ENCODING, false).stream()
                .map(c -> c.strip().toLowerCase(Locale.ROOT)).filter(c -> !c.isEmpty() && !c.equals("identity")).toList();
        if (codings.isEmpty()) {
            return new Framing(null, false);
        }
        if (r.getVersion() != HttpVersion.HTTP_1_1) {
            return new Framing("the provider sent Transfer-Encoding in an " + r.getVersion() + " response", false);
        }
        if (codings.size() > 1 || !codings.getFirst().equals("chunked")) {
            return new Framing("the provider sent a transfer coding Tether does not decode: "
                    + ProviderFaults.truncate(String.join(", ", codings)), false);
        }
        if (r.getHeaders().contains(HttpHeader.CONTENT_LENGTH) && r instanceof HttpResponse mutable) {
            // RFC 9112 6.3: the chunks frame the body, and the connection is not to be trusted further.
            mutable.headers(h -> h.add(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
        }
        return new Framing(null, true);
    }

    /** Whether the request failed on a pooled connection the provider had closed, before any answer. */
    boolean wentUnanswered() {
        ProviderTransport.Carrier carrier = ProviderTransport.carrier(request);
        return response == null && carrier != null && carrier.unanswered();
    }

    /** Whether any of a response arrived (a request that got none may be sent again elsewhere). */
    boolean responseStarted() {
        return response != null;
    }

    int status() {
        return response.getStatus();
    }

    /** A response header by case-insensitive name (repeated field lines joined, RFC 9110), or {@code fallback}. */
    String header(String name, String fallback) {
        List<String> values = response.getHeaders().getValuesList(name);
        return values.isEmpty() ? fallback : String.join(", ", values);
    }

    InputStream body() {
        return body;
    }

    boolean isAborted() {
        return aborted;
    }

    /** Fails the request and closes its connection, unless its response was read to the end. */
    void abort() {
        aborted = true;
        request.abort(new IOException("aborted"));
    }

    /**
     * The reader has all it wanted: read what is left of the body (a stream's reader stops at {@code
     * [DONE]}, usually just before the body's last chunk), waiting at most {@link #DRAIN_WAIT_MS},
     * so Jetty can pool the connection. A provider slower than that loses the connection instead.
     */
    void reuse() {
        if (!finished) {
            drain();
        }
        if (!finished) {
            abort();
            return;
        }
        try {
            // Jetty gives the connection back to its pool just before it reports the exchange
            // ended, and after the reader saw the body's end: the next request should find it.
            ended.get(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // the connection was not pooled after all: the next request opens another
        }
    }

    private void drain() {
        Scheduler.Task deadline = scheduler.schedule(this::abort, DRAIN_WAIT_MS, TimeUnit.MILLISECONDS);
        try {
            byte[] scratch = new byte[1024];
            int total = 0;
            while (!finished && total < DRAIN_MAX_BYTES) {
                int n = body.read(scratch);
                total += Math.max(n, 0);
            }
        } catch (IOException e) {
            // the deadline passed, or the provider broke off: the connection is closed either way
        } finally {
            deadline.cancel();
        }
    }

    /** Aborts the request unless its body was read to its end. */
    @Override
    public void close() {
        if (!finished) {
            abort();
        }
    }

    private IOException failure(Throwable t) {
        if (aborted) {
            return new IOException("aborted", t);
        }
        return WireFault.of(t, route, ProviderTransport.carrier(request) != null, chunked);
    }

    /** Jetty's body stream, its end noted and its failures told in this client's words. */
    private final class Body extends InputStream {
        private final InputStream in;

        Body(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
            finished = n < 0;
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
