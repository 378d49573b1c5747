package dev.tether.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Budgets for password guesses, per account and per client address, over a sliding window.
 *
 * <p>An attempt is <em>reserved</em> before its password is hashed and counts as a failure unless
 * it succeeds: checking first and recording after the hash let a burst of simultaneous guesses all
 * pass the check. An address that spends {@link #PER_ADDRESS} waits for the window to slide. An
 * account is slowed, not locked: after {@link #PER_ACCOUNT} failures each further attempt must wait
 * a delay that doubles up to {@link #MAX_DELAY}, so a stranger's guesses cannot keep the owner's
 * correct password out for the whole window.
 *
 * <p>Both maps are bounded and evicting (Caffeine): a stranger chooses the keys. Account keys are
 * only names that could exist ({@link Accounts#NAME}), never raw input.
 *
 * <p>Threading: {@code lock} guards every {@link Failures} (a reservation touches two at once); the
 * caches themselves are thread-safe.
 */
final class LoginThrottle {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_ACCOUNT = 5;
    static final int PER_ADDRESS = 20;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(5);
    static final int MAX_KEYS = 50_000;

    private final Object lock = new Object();
    private final Cache<String, Failures> byAccount;
    private final Cache<String, Failures> byAddress;
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
        this.byAccount = cache(clock);
        this.byAddress = cache(clock);
    }

    private static Cache<String, Failures> cache(Clock clock) {
        return Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterAccess(WINDOW.plus(MAX_DELAY))
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run) // upkeep on the caller: no pool of its own on a 2-core machine
                .build();
    }

    /** One reserved attempt: a failure unless {@link #succeeded} or {@link #withdrawn}. */
    record Attempt(String account, String address, Instant at) {}

    /** Either an attempt, or how long the caller must wait first. */
    record Decision(Optional<Attempt> attempt, Duration retryAfter) {}

    /**
     * Takes one attempt from the address's budget and, when {@code account} is a valid name, from
     * the account's, both or neither.
     */
    Decision reserve(String account, String address) {
        Instant now = clock.instant();
        String accountKey = account == null ? null : account.toLowerCase(Locale.ROOT);
        synchronized (lock) {
            Failures byAddr = byAddress.get(address, k -> new Failures());
            Failures byAcct = accountKey == null ? null : byAccount.get(accountKey, k -> new Failures());
            Duration wait = byAddr.waitAtBudget(PER_ADDRESS, now);
            if (byAcct != null) {
                Duration accountWait = byAcct.delayLeft(now);
                wait = accountWait.compareTo(wait) > 0 ? accountWait : wait;
            }
            if (!wait.isZero()) {
                return new Decision(Optional.empty(), wait);
            }
            byAddr.add(now);
            if (byAcct != null) {
                byAcct.add(now);
                byAcct.slowDown(now);
            }
            return new Decision(Optional.of(new Attempt(accountKey, address, now)), Duration.ZERO);
        }
    }

    /** The right password: the account starts afresh and the attempt does not count against the address. */
    void succeeded(Attempt attempt) {
        synchronized (lock) {
            if (attempt.account() != null) {
                byAccount.invalidate(attempt.account());
            }
            Failures byAddr = byAddress.getIfPresent(attempt.address());
            if (byAddr != null) {
                byAddr.remove(attempt.at());
            }
        }
    }

    /** The attempt never got to its password (the server was busy): it counts as nothing. */
    void withdrawn(Attempt attempt) {
        synchronized (lock) {
            Failures byAddr = byAddress.getIfPresent(attempt.address());
            if (byAddr != null) {
                byAddr.remove(attempt.at());
            }
            Failures byAcct = attempt.account() == null ? null : byAccount.getIfPresent(attempt.account());
            if (byAcct != null) {
                byAcct.remove(attempt.at());
                byAcct.slowDown(attempt.at());
            }
        }
    }

    /** The delay an account must keep after {@code failures} failures in the window. */
    static Duration delayAfter(int failures) {
        if (failures < PER_ACCOUNT) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - PER_ACCOUNT, 30);
        Duration d = FIRST_DELAY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    /** Failure times in the window, oldest first, and (for an account) when it may try again. Guarded by {@code lock}. */
    private static final class Failures {
        private final Deque<Instant> times = new ArrayDeque<>();
        private Instant notBefore = Instant.MIN;

        void add(Instant at) {
            times.addLast(at);
        }

        void remove(Instant at) {
            times.removeLastOccurrence(at);
        }

        void slowDown(Instant now) {
            Duration delay = delayAfter(times.size());
            notBefore = delay.isZero() ? Instant.MIN : now.plus(delay);
        }

        Duration waitAtBudget(int budget, Instant now) {
            prune(now);
            return times.size() < budget ? Duration.ZERO : positive(Duration.between(now, times.peekFirst().plus(WINDOW)));
        }

        Duration delayLeft(Instant now) {
            prune(now);
            return now.isBefore(notBefore) ? Duration.between(now, notBefore) : Duration.ZERO;
        }

        private void prune(Instant now) {
            while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) {
                times.removeFirst();
            }
        }

        private static Duration positive(Duration d) {
            return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
        }
    }
}
