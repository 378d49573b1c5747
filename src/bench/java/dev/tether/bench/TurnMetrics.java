package dev.tether.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load client saw of many turns: chat/start latency, time to first token minus the
 * provider's own first-token delay, turn time, per-token relay delay, completions and errors by
 * kind. Turns and tokens outside the measured window (see {@link #measureFrom}) only count as done.
 *
 * <p>Threading: every field is a concurrent accumulator; shared by all virtual users.
 */
final class TurnMetrics {
    final Samples startLatency = new Samples();
    final Samples ttftOverhead = new Samples();
    final Samples turnTime = new Samples();
    final Histogram relay = new Histogram();
    final LongAdder completed = new LongAdder();
    final LongAdder attempted = new LongAdder();
    final LongAdder tokens = new LongAdder();
    final AtomicLong lastEndNanos = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    final long firstTokenDelayMicros;
    /** Relay delays and token counts are kept only for tokens received in [from, to) epoch micros. */
    volatile long measureFrom = 0;
    volatile long measureTo = Long.MAX_VALUE;
    final LongAdder windowTokens = new LongAdder();

    TurnMetrics(long firstTokenDelayMicros) {
        this.firstTokenDelayMicros = firstTokenDelayMicros;
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("turns", attempted.sum());
        out.put("completed", completed.sum());
        out.put("completion_rate", attempted.sum() == 0 ? 0 : Math.round(completed.sum() * 10000.0 / attempted.sum()) / 10000.0);
        out.put("errors", errors());
        out.put("tokens_received", tokens.sum());
        out.put("chat_start_latency", startLatency.summary());
        out.put("ttft_overhead", ttftOverhead.summary());
        out.put("relay_delay", relay.summary());
        out.put("turn_time", turnTime.summary());
        return out;
    }
}
