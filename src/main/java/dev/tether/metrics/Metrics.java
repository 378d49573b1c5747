package dev.tether.metrics;

import dev.tether.session.SessionReads;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.TurnWatch;
import dev.tether.web.WebWatch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one metrics registry of a running Tether (Prometheus's format, served at /metrics) and the
 * watchers that feed it: the live machinery's ({@link TurnMeters}), the HTTP face's
 * ({@link WebMeters}) and the store's ({@link TimedSqlExecutor}). The only package that imports
 * Micrometer; the rest of Tether speaks to it through the ports {@link TurnWatch} and
 * {@link WebWatch}. docs/metrics.md lists what it measures.
 *
 * <p>Threading: Micrometer's registry and meters are thread-safe; this object is immutable after
 * construction. The JVM's GC listener is the one thing to stop ({@link #close}).
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final TurnMeters turns;
    private final WebMeters web;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        turns = new TurnMeters(registry);
        web = new WebMeters(registry);
    }

    /** Gauges read from the running server: turns running here, and the store's sessions and running turns. */
    public void watchServer(LiveTurns live, SessionReads store) {
        Gauge.builder("tether.turns.running", live, LiveTurns::size)
                .description("Turns running in this process (reserved or streaming)").register(registry);
        Gauge.builder("tether.sessions", store, s -> s.counts().sessions())
                .description("Sessions stored").register(registry);
    }

    public TurnWatch turns() {
        return turns;
    }

    public WebWatch web() {
        return web;
    }

    /** {@code executor}, each call timed as {@code tether.store.transaction} by kind (write, read, snapshot). */
    public SqlExecutor timed(SqlExecutor executor) {
        return new TimedSqlExecutor(executor, registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
