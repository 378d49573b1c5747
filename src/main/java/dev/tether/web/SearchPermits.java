package dev.tether.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Who may search now. A search reads many rows on one of the store's few reader connections, so
 * each user runs one at a time and at most {@code atOnce} run in all (fewer than the readers): one
 * user's searches can never take every reader from other users' page loads and cookie checks. A
 * search waits up to {@code wait} for its permits, then is refused (429 for the user's own, 503
 * for the server's).
 *
 * <p>Threading: semaphores, and a Caffeine cache of each user's (bounded, evicting when idle; a
 * user's semaphore held by a running search is in use, so it is not idle).
 */
public final class SearchPermits {
    private final Semaphore all;
    private final Duration wait;
    private final Cache<String, Semaphore> perUser = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    public SearchPermits(int atOnce, Duration wait) {
        this.all = new Semaphore(atOnce);
        this.wait = wait;
    }

    /** Runs {@code search} for {@code owner} holding both permits. */
    public <T> T run(String owner, Supplier<T> search) {
        Semaphore mine = perUser.get(owner, k -> new Semaphore(1));
        if (!acquire(mine)) {
            throw new ApiError(429, "search_busy", "Your previous search is still running; try again in a moment.",
                    Map.of("retry_after", 1));
        }
        try {
            if (!acquire(all)) {
                throw new ApiError(503, "search_busy", "The server is busy with other searches; try again in a moment.",
                        Map.of("retry_after", 1));
            }
            try {
                return search.get();
            } finally {
                all.release();
            }
        } finally {
            mine.release();
        }
    }

    private boolean acquire(Semaphore s) {
        try {
            return s.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "search_busy", "The search was interrupted.");
        }
    }
}
