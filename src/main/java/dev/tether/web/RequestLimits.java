package dev.tether.web;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-user budgets: actions per minute (fixed one-minute windows) and open SSE connections. A
 * refusal becomes a 429 with Retry-After.
 *
 * <p>Threading: concurrent maps of atomic counters; windows are replaced, never mutated in place.
 */
public final class RequestLimits {
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

    public RequestLimits(Clock clock) {
        this.clock = clock;
    }

    private record Window(long minute, AtomicInteger count) {}

    /** Counts one {@code action} of {@code owner}; throws 429 once {@code perMinute} is spent. */
    public void take(String action, String owner, int perMinute) {
        long millis = clock.millis();
        long minute = millis / 60_000;
        Window w = windows.compute(action + "\u0000" + owner,
                (k, old) -> old == null || old.minute() != minute ? new Window(minute, new AtomicInteger()) : old);
        if (w.count().incrementAndGet() > perMinute) {
            long retry = Math.max(1, (minute + 1) * 60 - millis / 1000);
            throw new ApiError(429, "rate_limited", "Too many requests of this kind; try again in " + retry + " s.",
                    Map.of("retry_after", retry));
        }
        if (windows.size() > 100_000) {
            windows.values().removeIf(old -> old.minute() < minute);
        }
    }

    /** Opens one stream slot of {@code owner}; the returned handle frees it. */
    public Runnable openStream(String owner, int max) {
        AtomicInteger open = streams.computeIfAbsent(owner, k -> new AtomicInteger());
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw new ApiError(429, "too_many_streams", "Too many open live connections; close some tabs.",
                    Map.of("retry_after", 5));
        }
        return open::decrementAndGet;
    }
}
