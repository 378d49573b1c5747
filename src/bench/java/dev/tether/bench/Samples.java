package dev.tether.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact latency samples in microseconds (a few per turn), summarised as percentiles.
 *
 * <p>Threading: {@link #add} is synchronized; many virtual threads add at once.
 */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    synchronized int count() {
        return size;
    }

    /** p50/p95/p99/max/mean in milliseconds (three decimals), and the count. */
    synchronized Map<String, Object> summary() {
        long[] v = Arrays.copyOf(values, size);
        Arrays.sort(v);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", size);
        if (size == 0) {
            return out;
        }
        out.put("p50_ms", ms(at(v, 0.50)));
        out.put("p95_ms", ms(at(v, 0.95)));
        out.put("p99_ms", ms(at(v, 0.99)));
        out.put("max_ms", ms(v[size - 1]));
        out.put("min_ms", ms(v[0]));
        out.put("mean_ms", ms((long) Arrays.stream(v).average().orElse(0)));
        return out;
    }

    static long at(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double ms(long micros) {
        return Math.round(micros / 1000.0 * 1000) / 1000.0;
    }
}
