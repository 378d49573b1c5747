package dev.tether.config;

import java.time.Duration;

/**
 * How a running turn's events reach the durable journal. {@link Batched} is what Tether ships;
 * the other two exist so the benchmark can measure what batching saves (TETHER_JOURNAL_MODE).
 * Terminal events are durable before anyone sees them in every mode.
 */
public sealed interface JournalMode {
    Duration DEFAULT_INTERVAL = Duration.ofMillis(25);

    /** Events of all live turns are written together every {@code interval}, one transaction. */
    record Batched(Duration interval) implements JournalMode {}

    /** Each event is written on its own by the turn's worker before the next one is logged. */
    record PerEvent() implements JournalMode {}

    /**
     * Benchmark only: events are never journaled except each turn's newest (so its ending numbers
     * the closing events right). Replay of such a turn has holes; never use it for real data.
     */
    record Off() implements JournalMode {}
}
