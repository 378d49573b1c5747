package dev.tether.model.openai;

import dev.tether.config.TetherConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP/1.1 to one provider on Jetty's {@link HttpClient} (the Jetty Javalin already brings), set
 * up for many long streams at once and little else. Why Jetty's client and not a hand-written one
 * or {@code java.net.http}, and how this setup was measured: docs/performance.md.
 *
 * <ul>
 *   <li>Threads: one selector and a small pool of platform threads named {@code tether-provider-*}.
 *       Jetty's own work here is short and never blocks: it parses and hands over; each stream's
 *       body is read on its turn's own virtual thread ({@link Exchange}).
 *   <li>Memory: heap buffers, not direct ones outside the heap, {@link #RESPONSE_BUFFER} bytes
 *       per read (an event is far smaller), from a pool that keeps as many as a burst uses at
 *       once but at most {@link #MAX_POOLED_BUFFER_BYTES} of them.
 *   <li>Connections: enough per provider for a burst of streams without queueing
 *       ({@link #MAX_CONNECTIONS}); an idle one is closed after the keep-alive. A request in flight
 *       has no idle timeout of Jetty's: {@link Call} owns the first-token and idle timeouts.
 *   <li>Refused: redirects (the caller reports them), content decoders (requests say {@code
 *       Accept-Encoding: identity}), authentication and upgrade handling, cookies.
 * </ul>
 *
 * <p>A request that fails on a pooled connection the provider had closed meanwhile, before any byte
 * of an answer, is sent again ({@link ProviderTransport}); one the provider began to answer never is.
 *
 * <p>Threading: {@link #send} from any number of threads; each exchange belongs to its caller.
 */
final class ProviderHttp implements AutoCloseable {
    static final int MAX_HEAD_BYTES = 64 << 10;
    static final int RESPONSE_BUFFER = 4 << 10;
    static final int MAX_CONNECTIONS = 10_000;
    static final long MAX_POOLED_BUFFER_BYTES = 16 << 20;
    static final int MAX_POOLED_PER_SIZE = 4096;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(20);
    /** Stale pooled connections tried in a row before the failure is the answer. */
    static final int MAX_STALE = 4;

    private final String base;
    private final Route route;
    private final HttpClient client;
    private final boolean keepsConnections;

    ProviderHttp(URI base, Duration connectTimeout) {
        this(base, Optional.empty(), connectTimeout, defaultTls(), KEEP_ALIVE);
    }

    ProviderHttp(URI base, Duration connectTimeout, SSLContext tls, Duration keepAlive) {
        this(base, Optional.empty(), connectTimeout, tls, keepAlive);
    }

    /**
     * {@code proxy}, when present, carries every connection ({@link Route}); {@code tls} makes the
     * TLS connections and holds the trust store (the JDK's default in production); an idle
     * connection is kept for at most {@code keepAlive}.
     */
    ProviderHttp(URI base, Optional<TetherConfig.Proxy> proxy, Duration connectTimeout, SSLContext tls,
                 Duration keepAlive) {
        this.route = new Route(base, proxy);
        String raw = base.toString();
        this.base = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        this.keepsConnections = keepAlive.isPositive();
        this.client = newClient(connectTimeout, tls, keepAlive);
        route.configure(client);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the provider client did not start: " + e.getMessage(), e);
        }
        // Set at start, so removed after it: what would follow redirects, answer authentication
        // challenges, upgrade or decode. What stays reads interim (1xx) answers.
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(new ContinueProtocolHandler());
        client.getProtocolHandlers().put(new ProcessingProtocolHandler());
        client.getProtocolHandlers().put(new EarlyHintsProtocolHandler());
        client.getContentDecoderFactories().clear();
    }

    private static HttpClient newClient(Duration connectTimeout, SSLContext tls, Duration keepAlive) {
        QueuedThreadPool threads = new QueuedThreadPool(4, 1, 60_000);
        threads.setName("tether-provider");
        threads.setDaemon(true);
        SslContextFactory.Client tlsFactory = new SslContextFactory.Client();
        tlsFactory.setSslContext(tls);
        tlsFactory.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setSslContextFactory(tlsFactory);

        HttpClient c = new HttpClient(new ProviderTransport(connector));
        c.setName("tether-provider");
        c.setExecutor(threads);
        // A connection takes a read buffer from the pool for each read and gives it back once its
        // bytes are parsed and read, so in a burst every token of every stream passes through the
        // pool: a bucket as large as a burst keeps those buffers in use instead of making garbage
        // of each one; the memory cap bounds what the pool keeps once the burst is over.
        c.setByteBufferPool(new ArrayByteBufferPool(0, 1024, 64 << 10, MAX_POOLED_PER_SIZE,
                MAX_POOLED_BUFFER_BYTES, MAX_POOLED_BUFFER_BYTES));
        c.setUseInputDirectByteBuffers(false);
        c.setUseOutputDirectByteBuffers(false);
        c.setResponseBufferSize(RESPONSE_BUFFER);
        c.setMaxResponseHeadersSize(MAX_HEAD_BYTES);
        c.setConnectTimeout(Math.max(1, connectTimeout.toMillis()));
        c.setIdleTimeout(Math.max(1, keepAlive.toMillis())); // no keep-alive: see keepsConnections
        c.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        c.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS);
        c.setFollowRedirects(false);
        c.setUserAgentField(null);
        c.setHttpCookieStore(new HttpCookieStore.Empty());
        // Equal repeated Content-Length values count once (RFC 9110 8.6; different ones stay an
        // error); Transfer-Encoding with Content-Length is read as chunked (RFC 9112 6.3), and
        // Exchange then closes the connection; a folded field line is joined with a space.
        c.setHttpCompliance(HttpCompliance.RFC9110.with("TETHER_PROVIDER",
                HttpCompliance.Violation.MULTIPLE_CONTENT_LENGTHS,
                HttpCompliance.Violation.TRANSFER_ENCODING_WITH_CONTENT_LENGTH,
                HttpCompliance.Violation.MULTILINE_FIELD_VALUE));
        return c;
    }

    /** The JDK's TLS context: its default trust store. */
    static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * Sends one request and waits for the response head. {@code onExchange} gets the exchange before
     * anything blocks, so an abort can fail it while connecting, sending or waiting. A request that
     * went out on a pooled connection the provider had closed meanwhile, unanswered, goes again.
     */
    Exchange send(String method, String path, Map<String, String> headers, byte[] body, Consumer<Exchange> onExchange)
            throws IOException {
        headers.forEach(ProviderHttp::fieldValue);
        for (int attempt = 1; ; attempt++) {
            Exchange exchange = new Exchange(request(method, path, headers, body), route, client.getScheduler());
            onExchange.accept(exchange);
            try {
                exchange.exchange();
                return exchange;
            } catch (IOException e) {
                if (exchange.isAborted() || !exchange.wentUnanswered() || attempt == MAX_STALE) {
                    throw e;
                }
            }
        }
    }

    private Request request(String method, String path, Map<String, String> headers, byte[] body) {
        Request request = client.newRequest(base + path).method(method).agent("tether")
                .idleTimeout(0, TimeUnit.MILLISECONDS) // Call owns the timeouts
                .headers(h -> headers.forEach(h::put));
        if (!keepsConnections) {
            request.headers(h -> h.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
        }
        if (body != null) {
            request.body(new BytesRequestContent(headers.getOrDefault("Content-Type", "application/octet-stream"), body));
        }
        return request;
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

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping anyway: the connections close with the client
        }
    }
}
