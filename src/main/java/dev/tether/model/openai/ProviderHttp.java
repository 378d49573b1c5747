package dev.tether.model.openai;

import dev.tether.config.TetherConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 to one provider over blocking sockets, on the calling (virtual) thread, with a pool of
 * idle keep-alive connections: the thread that relays a stream reads its socket, with no selector
 * thread and no hand-off on a token's path. How this compares with {@code java.net.http} and with
 * Jetty's {@code HttpClient}, measured: docs/performance.md.
 *
 * <p>Only what a chat-completions stream needs: {@code http}/{@code https} (TLS with host name
 * verification), {@code Content-Length}, chunked and close-delimited bodies (framed as RFC 9112
 * says, see {@link ResponseHead}), no compression; directly or through an HTTP proxy ({@link
 * Route}). A redirect is an answer like any other; the caller reports it rather than following it.
 *
 * <p>Threading: one exchange belongs to one thread, except {@link Exchange#abort}, which any thread
 * may call. {@code idle} is a concurrent deque; an exchange's socket is in the pool only after the
 * exchange released it, and a released exchange can no longer close it.
 */
final class ProviderHttp implements AutoCloseable {
    static final int MAX_HEAD_BYTES = 64 << 10;
    static final int MAX_IDLE = 512;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(20);

    private final URI base;
    private final Route route;
    private final long keepAliveNanos;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    ProviderHttp(URI base, Duration connectTimeout) {
        this(base, Optional.empty(), connectTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault(), KEEP_ALIVE);
    }

    ProviderHttp(URI base, Duration connectTimeout, SSLSocketFactory tlsSockets, Duration keepAlive) {
        this(base, Optional.empty(), connectTimeout, tlsSockets, keepAlive);
    }

    /**
     * {@code proxy}, when present, carries every connection ({@link Route}); {@code tlsSockets}
     * makes the TLS connections (the JDK's default trust store in production); an idle connection
     * is kept for at most {@code keepAlive}.
     */
    ProviderHttp(URI base, Optional<TetherConfig.Proxy> proxy, Duration connectTimeout, SSLSocketFactory tlsSockets,
                 Duration keepAlive) {
        this.route = new Route(base, proxy, connectTimeout, tlsSockets);
        this.base = base;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /**
     * Sends one request and reads the response head. {@code onExchange} gets the exchange before
     * anything blocks, so an abort can close it while connecting, sending or waiting. A reused
     * connection that the provider had closed meanwhile fails before any response byte; the request
     * then goes once more on a new connection (the provider never saw it).
     */
    Exchange send(String method, String path, Map<String, String> headers, byte[] body,
                  java.util.function.Consumer<Exchange> onExchange) throws IOException {
        byte[] head = head(method, path, headers, body == null ? -1 : body.length);
        Connection reused = borrow();
        if (reused != null) {
            Exchange exchange = new Exchange(this, reused);
            onExchange.accept(exchange);
            try {
                if (exchange.exchange(method, head, body)) {
                    return exchange;
                }
            } catch (IOException e) {
                if (exchange.isAborted() || exchange.responseStarted()) {
                    throw e;
                }
            }
            exchange.abort(); // stale: the provider closed it while idle
        }
        Exchange exchange = new Exchange(this, null);
        onExchange.accept(exchange);
        exchange.connect();
        if (!exchange.exchange(method, head, body)) {
            throw new IOException("the provider closed the connection without answering");
        }
        return exchange;
    }

    private Connection borrow() {
        long now = System.nanoTime();
        Connection c;
        while ((c = idle.pollLast()) != null) {
            idleCount.decrementAndGet();
            if (fresh(c, now)) {
                return c;
            }
            c.closeQuietly();
        }
        return null;
    }

    private boolean fresh(Connection c, long now) {
        return now - c.idleSince < keepAliveNanos && !c.socket.isClosed();
    }

    /**
     * Closes connections idle past the keep-alive from the old end of the pool. Borrowing takes the
     * newest, so without this a burst's extra connections would stay open (and, once the provider
     * closed its side, half-closed) until the pool was drained.
     */
    private void closeExpired(long now) {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            if (fresh(c, now)) {
                idle.offerFirst(c);
                return;
            }
            idleCount.decrementAndGet();
            c.closeQuietly();
        }
    }

    /** Keeps a connection whose response was read to its end, unless the pool is full or closed. */
    void release(Connection c) {
        if (closed || idleCount.incrementAndGet() > MAX_IDLE) {
            idleCount.decrementAndGet();
            c.closeQuietly();
            return;
        }
        long now = System.nanoTime();
        c.idleSince = now;
        idle.offerLast(c);
        if (closed) {
            closeIdle();
        }
        closeExpired(now);
    }

    Connection open() throws IOException {
        return route.open();
    }

    /** The request head; the path is the base URL's path plus {@code path}. */
    byte[] head(String method, String path, Map<String, String> headers, int bodyLength) {
        StringBuilder sb = new StringBuilder(256);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        sb.append(method).append(' ');
        route.appendTarget(sb, basePath + path);
        sb.append(" HTTP/1.1\r\n");
        route.appendRouting(sb);
        sb.append("User-Agent: tether\r\n");
        headers.forEach((name, value) -> sb.append(name).append(": ").append(fieldValue(name, value)).append("\r\n"));
        if (bodyLength >= 0) {
            sb.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A header value that cannot end its line: the settings are checked at start, so this guards
     * against a caller that skipped them. The value is not echoed; it may be a secret.
     */
    static String fieldValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("the " + name + " header value has a control character at "
                        + (i + 1) + "; it would break the request head");
            }
        }
        return value;
    }

    private void closeIdle() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            c.closeQuietly();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }
}
