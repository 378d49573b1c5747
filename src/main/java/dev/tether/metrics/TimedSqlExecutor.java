package dev.tether.metrics;

import dev.tether.store.jdbc.Columns;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.jdbc.SqlWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A store's executor with each call timed as its caller sees it (queueing for the single writer
 * included): {@code tether.store.transaction} by kind. A failed call is timed too.
 *
 * <p>Threading: as thread-safe as the executor it wraps; the timers are thread-safe.
 */
final class TimedSqlExecutor implements SqlExecutor {
    private final SqlExecutor executor;
    private final Timer writes;
    private final Timer reads;
    private final Timer snapshots;

    TimedSqlExecutor(SqlExecutor executor, MeterRegistry registry) {
        this.executor = executor;
        this.writes = timer(registry, "write");
        this.reads = timer(registry, "read");
        this.snapshots = timer(registry, "snapshot");
    }

    private static Timer timer(MeterRegistry registry, String kind) {
        return Timer.builder("tether.store.transaction").tag("kind", kind)
                .description("Store calls from submission to commit (or answer), by kind")
                .serviceLevelObjectives(TurnMeters.millis(1, 2, 5, 10, 25, 50, 100, 250, 1000))
                .register(registry);
    }

    @Override
    public Columns columns() {
        return executor.columns();
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return writes.record(() -> executor.write(work));
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return reads.record(() -> executor.read(work));
    }

    @Override
    public <T> T snapshot(SqlWork<T> work) {
        return snapshots.record(() -> executor.snapshot(work));
    }
}
