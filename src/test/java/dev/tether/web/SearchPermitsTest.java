package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One search at a time per user, and a bound on searches in all, so searches never hold every reader. */
class SearchPermitsTest {
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    /** Starts a search of {@code owner} that holds its permits until {@link #release}. */
    private Future<String> held(SearchPermits permits, String owner) throws InterruptedException {
        Future<String> f = pool.submit(() -> permits.run(owner, () -> {
            running.countDown();
            await(release);
            return "first";
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return f;
    }

    @Test
    void aUsersSecondSearchIsRefusedWhileTheFirstRunsAndOthersGoOn() throws Exception {
        SearchPermits permits = new SearchPermits(2, Duration.ofMillis(50));
        Future<String> first = held(permits, "alice");

        assertThatThrownBy(() -> permits.run("alice", () -> "second"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("search_busy");
                });
        assertThat(permits.run("bob", () -> "bob's")).isEqualTo("bob's");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(permits.run("alice", () -> "later")).isEqualTo("later");
    }

    @Test
    void searchesBeyondTheServersBoundAreRefused() throws Exception {
        SearchPermits permits = new SearchPermits(1, Duration.ofMillis(50));
        held(permits, "alice");

        assertThatThrownBy(() -> permits.run("bob", () -> "bob's"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> permits.run("carol", () -> "carol's")).isInstanceOf(ApiError.class);
    }

    @Test
    void aFailedSearchGivesItsPermitsBack() {
        SearchPermits permits = new SearchPermits(1, Duration.ofMillis(50));
        assertThatThrownBy(() -> permits.run("alice", () -> {
            throw new IllegalStateException("store failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(permits.run("alice", () -> "again")).isEqualTo("again");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
