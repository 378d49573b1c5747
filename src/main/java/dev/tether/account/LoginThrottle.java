package dev.tether.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per account and per address over a sliding window and says how long a
 * caller must wait once either exceeds its budget.
 *
 * <p>Threading: each key's deque is guarded by itself; the maps are concurrent and pruned as they
 * are used, so they stay small.
 */
final class LoginThrottle {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_ACCOUNT = 5;
    static final int PER_ADDRESS = 20;
    static final int MAX_KEYS = 100_000;

    private final Map<String, Deque<Instant>> byAccount = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long to wait before another try, if the budget of the account or the address is spent. */
    Optional<Duration> waitFor(String account, String address) {
        Instant now = clock.instant();
        Optional<Duration> a = wait(byAccount, account.toLowerCase(), PER_ACCOUNT, now);
        Optional<Duration> b = wait(byAddress, address, PER_ADDRESS, now);
        if (a.isPresent() && b.isPresent()) {
            return Optional.of(a.get().compareTo(b.get()) > 0 ? a.get() : b.get());
        }
        return a.isPresent() ? a : b;
    }

    void failed(String account, String address) {
        Instant now = clock.instant();
        record(byAccount, account.toLowerCase(), now);
        record(byAddress, address, now);
    }

    void succeeded(String account) {
        byAccount.remove(account.toLowerCase());
    }

    private static Optional<Duration> wait(Map<String, Deque<Instant>> map, String key, int budget, Instant now) {
        Deque<Instant> failures = map.get(key);
        if (failures == null) {
            return Optional.empty();
        }
        synchronized (failures) {
            prune(failures, now);
            if (failures.size() < budget) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, failures.peekFirst().plus(WINDOW)));
        }
    }

    private static void record(Map<String, Deque<Instant>> map, String key, Instant now) {
        if (map.size() > MAX_KEYS) {
            map.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
        Deque<Instant> failures = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (failures) {
            prune(failures, now);
            failures.addLast(now);
        }
    }

    private static void prune(Deque<Instant> failures, Instant now) {
        while (!failures.isEmpty() && failures.peekFirst().plus(WINDOW).isBefore(now)) {
            failures.removeFirst();
        }
    }
}
