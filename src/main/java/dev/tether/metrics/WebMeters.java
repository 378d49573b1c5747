package dev.tether.metrics;

import dev.tether.web.WebWatch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The HTTP face's meters: SSE streams open (subscribers, by kind), the relay delay, refused logins,
 * and Jetty's connections and threads; and the page that shows them all.
 *
 * <p>Threading: meters and the counters of open streams are thread-safe; the map is filled in the
 * constructor and only read after.
 */
final class WebMeters implements WebWatch {
    static final List<String> STREAM_KINDS = List.of("turn", "session", "sidebar", "shared");

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicInteger> open;
    private final Timer relay;
    private final Counter refused;
    private final Counter throttled;

    WebMeters(PrometheusMeterRegistry registry) {
        this.registry = registry;
        open = Map.of("turn", new AtomicInteger(), "session", new AtomicInteger(), "sidebar", new AtomicInteger(),
                "shared", new AtomicInteger());
        open.forEach((kind, count) -> Gauge.builder("tether.subscribers", count, AtomicInteger::get).tag("kind", kind)
                .description("SSE streams open, by kind").register(registry));
        relay = Timer.builder("tether.relay.delay")
                .description("From the moment an event became durable to its write to a subscriber")
                .serviceLevelObjectives(TurnMeters.millis(1, 2, 5, 10, 25, 50, 100, 250, 1000))
                .register(registry);
        refused = loginFailures("refused");
        throttled = loginFailures("throttled");
    }

    private Counter loginFailures(String reason) {
        return Counter.builder("tether.login.failures").tag("reason", reason)
                .description("Logins refused (wrong name or password) or throttled").register(registry);
    }

    @Override
    public void streamOpened(String kind) {
        AtomicInteger count = open.get(kind);
        if (count != null) {
            count.incrementAndGet();
        }
    }

    @Override
    public void streamClosed(String kind) {
        AtomicInteger count = open.get(kind);
        if (count != null) {
            count.decrementAndGet();
        }
    }

    @Override
    public void relayed(long nanos) {
        relay.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void loginFailed(String reason) {
        ("throttled".equals(reason) ? throttled : refused).increment();
    }

    /** Jetty's connection meters on the connector (a bean of it, told of every connection), and its thread pool's. */
    @Override
    public void serving(Server jetty, ServerConnector connector) {
        connector.addBean(new JettyConnectionMetrics(registry, connector));
        new JettyServerThreadPoolMetrics(jetty.getThreadPool(), List.of()).bindTo(registry);
    }

    @Override
    public String scrape() {
        return registry.scrape();
    }
}
