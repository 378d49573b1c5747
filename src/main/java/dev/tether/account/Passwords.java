package dev.tether.account;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id password hashing (Spring Security's encoder on Bouncy Castle), never hand-written, on a
 * few platform threads of its own.
 *
 * <p>Why a pool: a hash is tens of milliseconds of pure CPU. Run on the caller's virtual thread, a
 * burst of logins pinned every carrier and stalled replies and {@code /health} for everyone; here at
 * most {@link #threads} hashes run at once, at most {@link #queue} more wait, and any beyond that are
 * refused at once ({@link Accounts.Busy}) instead of piling up.
 *
 * <p>Threading: the executor is the only shared state and is thread-safe.
 */
final class Passwords {
    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 1024;
    static final String THREAD_NAME = "tether-password-";

    private final PasswordEncoder encoder;
    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int queue;

    Passwords() {
        this(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2)), 32);
    }

    Passwords(PasswordEncoder encoder, int threads, int queue) {
        this.encoder = encoder;
        this.threads = threads;
        this.queue = queue;
        AtomicInteger counter = new AtomicInteger();
        // Daemon threads: a pool left behind by a test or a failed start must not keep the JVM alive.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                r -> Thread.ofPlatform().daemon().name(THREAD_NAME + counter.getAndIncrement()).unstarted(r),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** @throws Accounts.Busy when {@link #threads} hashes run and {@link #queue} wait already */
    String hash(String password) {
        return onPool(() -> encoder.encode(password));
    }

    /** @throws Accounts.Busy as {@link #hash} */
    boolean matches(String password, String hash) {
        return hash != null && onPool(() -> encoder.matches(password, hash));
    }

    private <T> T onPool(Supplier<T> work) {
        Future<T> result;
        try {
            result = pool.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new Accounts.Busy();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new IllegalStateException("interrupted while checking a password", e);
        }
    }

    /** Checks accepted but not yet running. */
    int waiting() {
        return pool.getQueue().size();
    }

    /** Null if acceptable, else what is wrong with it. */
    static String problemWith(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "A password needs at least " + MIN_LENGTH + " characters.";
        }
        if (password.length() > MAX_LENGTH) {
            return "A password may have at most " + MAX_LENGTH + " characters.";
        }
        return null;
    }
}
