package dev.tether.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of microsecond values for millions of samples (per-token relay delays):
 * 10 µs buckets up to 100 ms, 1 ms buckets up to 10 s, exact max. Percentiles are reported as the
 * upper edge of their bucket.
 *
 * <p>Threading: any number of threads may record at once.
 */
final class Histogram {
    private static final int FINE = 10_000;          // 10 µs each, to 100 ms
    private static final int COARSE = 9_900;         // 1 ms each, to 10 s
    private final AtomicLongArray counts = new AtomicLongArray(FINE + COARSE + 1);
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();

    void record(long micros) {
        long v = Math.max(0, micros);
        int bucket = v < 100_000 ? (int) (v / 10) : v < 10_000_000 ? FINE + (int) ((v - 100_000) / 1000) : FINE + COARSE;
        counts.incrementAndGet(bucket);
        max.accumulateAndGet(v, Math::max);
        total.incrementAndGet();
        sum.addAndGet(v);
    }

    long count() {
        return total.get();
    }

    private long upperEdge(int bucket) {
        return bucket < FINE ? (bucket + 1) * 10L : bucket < FINE + COARSE ? 100_000 + (bucket - FINE + 1) * 1000L : max.get();
    }

    long percentile(double q) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperEdge(i), max.get());
            }
        }
        return max.get();
    }

    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", total.get());
        if (total.get() == 0) {
            return out;
        }
        out.put("p50_ms", Samples.ms(percentile(0.50)));
        out.put("p95_ms", Samples.ms(percentile(0.95)));
        out.put("p99_ms", Samples.ms(percentile(0.99)));
        out.put("p999_ms", Samples.ms(percentile(0.999)));
        out.put("max_ms", Samples.ms(max.get()));
        out.put("mean_ms", Samples.ms(sum.get() / total.get()));
        return out;
    }
}
