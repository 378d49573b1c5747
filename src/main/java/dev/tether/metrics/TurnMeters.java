package dev.tether.metrics;

import dev.tether.session.TurnState;
import dev.tether.turn.TurnWatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The live machinery's meters: turns started and ended (by state), time to first token, provider
 * failures (by type) and the journal's passes. Histogram buckets are fixed (Prometheus's
 * {@code _bucket} series), chosen around what a chat server's users notice.
 *
 * <p>Threading: meters are thread-safe; the maps are filled in the constructor and only read after.
 */
final class TurnMeters implements TurnWatch {
    private final MeterRegistry registry;
    private final Counter started;
    private final Map<TurnState, Counter> ended = new EnumMap<>(TurnState.class);
    private final Map<TurnState, Timer> lasted = new EnumMap<>(TurnState.class);
    private final Timer firstToken;
    private final Timer flushTime;
    private final DistributionSummary flushSize;

    TurnMeters(MeterRegistry registry) {
        this.registry = registry;
        started = Counter.builder("tether.turns.started").description("Turns whose worker began").register(registry);
        for (TurnState state : TurnState.values()) {
            if (state.isTerminal()) {
                ended.put(state, Counter.builder("tether.turns.ended").tag("state", state.wire())
                        .description("Turns ended, by terminal state").register(registry));
                lasted.put(state, Timer.builder("tether.turn.duration").tag("state", state.wire())
                        .description("From a turn's start to its end").register(registry));
            }
        }
        firstToken = Timer.builder("tether.turn.first.token")
                .description("From a turn's start to the first text the model sent")
                .serviceLevelObjectives(millis(100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 120_000))
                .register(registry);
        flushTime = Timer.builder("tether.journal.flush")
                .description("Time one journal pass took to write its batch")
                .serviceLevelObjectives(millis(1, 2, 5, 10, 25, 50, 100, 250, 1000))
                .register(registry);
        flushSize = DistributionSummary.builder("tether.journal.batch").baseUnit("events")
                .description("Events one journal pass wrote")
                .serviceLevelObjectives(1, 10, 100, 1000, 10_000)
                .register(registry);
        // Registered now, so the series is on the page (at 0) before the first failure.
        Counter.builder("tether.provider.errors").tag("type", "none")
                .description("Turns the provider failed, by error type").register(registry);
    }

    static Duration[] millis(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(values[i]);
        }
        return out;
    }

    @Override
    public void started() {
        started.increment();
    }

    @Override
    public void firstToken(Duration wait) {
        firstToken.record(wait);
    }

    @Override
    public void ended(TurnState state, Duration lasted, long events) {
        Counter c = ended.get(state);
        if (c != null) {
            c.increment();
            this.lasted.get(state).record(lasted);
        }
    }

    @Override
    public void providerFailed(String type) {
        // Types are the provider errors' own codes, a short fixed list (ModelException): few series.
        Counter.builder("tether.provider.errors").tag("type", type == null ? "unknown" : type)
                .description("Turns the provider failed, by error type").register(registry).increment();
    }

    @Override
    public void journalFlushed(int events, Duration took) {
        flushTime.record(took);
        flushSize.record(events);
    }
}
