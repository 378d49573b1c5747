package dev.tether.model.openai;

import dev.tether.config.TetherConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * BENCHMARK VARIANT, not the shipped client: the same class name and constructor as
 * src/main's ProviderHttp, on Jetty 12's HttpClient, compiled into a directory that
 * bin/bench-jetty-variant puts ahead of target/classes on the server's classpath (the bench's
 * BENCH_SERVER_CLASSES A/B). Everything else (OpenAiCompatibleModel, Call, EventLoop, SseReader)
 * is the shipped code. No proxy, no TLS trust store switch: the bench needs neither.
 *
 * <p>Configured for the job: one selector, a small platform pool whose blocking tasks run on
 * virtual threads, connections per destination sized for the largest burst, no content decoders,
 * no redirects, the response body read on the turn's own thread from Jetty's Content.Source.
 */
final class ProviderHttp implements AutoCloseable {
    static final int MAX_HEAD_BYTES = 64 << 10;
    static final int MAX_IDLE = 512;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(20);

    private final String base;
    private final HttpClient client;

    ProviderHttp(URI base, Duration connectTimeout) {
        this(base, Optional.empty(), connectTimeout, null, KEEP_ALIVE);
    }

    ProviderHttp(URI base, Optional<TetherConfig.Proxy> proxy, Duration connectTimeout, SSLSocketFactory tlsSockets,
                 Duration keepAlive) {
        String raw = base.toString();
        this.base = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("provider-client");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        client = new HttpClient(new HttpClientTransportOverHTTP(1));
        client.setExecutor(pool);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(keepAlive.toMillis());
        client.setMaxConnectionsPerDestination(20_000);
        client.setMaxRequestsQueuedPerDestination(20_000);
        client.setFollowRedirects(false);
        client.getContentDecoderFactories().clear();
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the Jetty client did not start", e);
        }
        LoggerFactory.getLogger(ProviderHttp.class).info("Provider client: Jetty HttpClient (benchmark variant)");
    }

    Exchange send(String method, String path, Map<String, String> headers, byte[] body, Consumer<Exchange> onExchange)
            throws IOException {
        Request request = client.newRequest(base + path).method(method).agent("tether")
                .headers(h -> headers.forEach(h::put));
        if (body != null) {
            request.body(new BytesRequestContent(headers.getOrDefault("Content-Type", "application/octet-stream"), body));
        }
        Exchange exchange = new Exchange(request);
        onExchange.accept(exchange);
        CompletableFuture<Exchange> answered = new CompletableFuture<>();
        request.onResponseContentSource((response, source) -> answered.complete(exchange.answered(response, source)));
        request.send(result -> {
            if (result.isFailed()) {
                answered.completeExceptionally(result.getFailure());
            } else if (!answered.isDone()) {
                answered.complete(exchange.answered(result.getResponse(), null));
            }
        });
        try {
            return answered.get();
        } catch (InterruptedException e) {
            exchange.abort();
            throw new InterruptedIOException("interrupted while waiting for the provider");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
