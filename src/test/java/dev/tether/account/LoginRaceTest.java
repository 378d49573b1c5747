package dev.tether.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.store.sqlite.SqliteAccountStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.jdbc.Database;
import dev.tether.support.Simultaneous;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Guesses released together: the throttle's budget is taken before the hash, so no more guesses
 * than the budget ever reach it, and hashing happens only on the password pool's own threads.
 */
class LoginRaceTest {
    static final String PASSWORD = "correct horse battery";
    Database db;
    AccountsTest.MovableClock clock = new AccountsTest.MovableClock();
    GatedEncoder encoder = new GatedEncoder();
    Accounts accounts;

    // More threads than either budget, so every guess let through is inside the encoder, not queued.
    @BeforeEach
    void open() throws Exception {
        db = SqliteDatabase.open(Files.createTempDirectory("race").resolve("t.db"));
        accounts = new Accounts(new SqliteAccountStore(db.executor()), clock, new Passwords(encoder, 32, 1024));
        encoder.gate.countDown(); // creating users and the decoy hash pass freely
        accounts.createUser("ann", PASSWORD, false);
        encoder.reset();
    }

    @AfterEach
    void close() {
        encoder.gate.countDown();
        db.close();
    }

    @Test
    void guessesReleasedTogetherAgainstOneAccountGetOnlyItsBudget() {
        int n = 200;
        List<Accounts.LoginOutcome> outcomes = releasedTogether(n, LoginThrottle.PER_ACCOUNT, i -> accounts.login("ann",
                i == 150 ? PASSWORD : "wrong guess " + i, "10.0." + i / 250 + "." + i % 250));

        assertThat(encoder.checks.get()).as("guesses that reached the hash").isLessThanOrEqualTo(LoginThrottle.PER_ACCOUNT);
        assertThat(outcomes.stream().filter(o -> !(o instanceof Accounts.LoginOutcome.Throttled)).count())
                .isLessThanOrEqualTo(LoginThrottle.PER_ACCOUNT);
        assertThat(encoder.threads).isNotEmpty().allMatch(t -> t.startsWith(Passwords.THREAD_NAME));
    }

    @Test
    void guessesReleasedTogetherFromOneAddressGetOnlyItsBudget() {
        int n = 300;
        releasedTogether(n, LoginThrottle.PER_ADDRESS, i -> accounts.login("user" + i, "wrong guess", "6.6.6.6"));

        assertThat(encoder.checks.get()).as("guesses that reached the hash").isLessThanOrEqualTo(LoginThrottle.PER_ADDRESS);
    }

    @Test
    void checksBeyondThePoolAndItsQueueAreRefusedAtOnce() throws Exception {
        GatedEncoder blocked = new GatedEncoder();
        Passwords passwords = new Passwords(blocked, 1, 2);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> running = callers.submit(() -> passwords.matches("a", "hash"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> blocked.entered.get() == 1);
            Future<Boolean> queued1 = callers.submit(() -> passwords.matches("b", "hash"));
            Future<Boolean> queued2 = callers.submit(() -> passwords.matches("c", "hash"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> passwords.waiting() == 2);

            assertThatThrownBy(() -> passwords.matches("d", "hash")).isInstanceOf(Accounts.Busy.class);

            blocked.gate.countDown();
            assertThat(List.of(running.get(10, TimeUnit.SECONDS), queued1.get(10, TimeUnit.SECONDS),
                    queued2.get(10, TimeUnit.SECONDS))).containsOnly(false);
            assertThat(blocked.threads).containsOnly(Passwords.THREAD_NAME + "0");
        }
    }

    /**
     * Releases {@code n} logins together and holds every hash until each caller has either reached
     * the hash or been answered (or more than the budget are in it: the test has failed already):
     * the widest window a check-then-record throttle could leave open.
     */
    private List<Accounts.LoginOutcome> releasedTogether(int n, int budget,
                                                         java.util.function.IntFunction<Accounts.LoginOutcome> login) {
        AtomicInteger answered = new AtomicInteger();
        Thread opener = Thread.ofVirtual().start(() -> {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> encoder.entered.get() + answered.get() >= n || encoder.entered.get() > budget);
            encoder.gate.countDown();
        });
        List<Accounts.LoginOutcome> outcomes = Simultaneous.run(n, i -> {
            Accounts.LoginOutcome o = login.apply(i);
            if (o instanceof Accounts.LoginOutcome.Throttled) {
                answered.incrementAndGet();
            }
            return o;
        });
        encoder.gate.countDown();
        opener.interrupt();
        return outcomes;
    }

    /** A cheap stand-in for Argon2 that counts checks, notes their threads, and holds them at a gate. */
    static final class GatedEncoder implements PasswordEncoder {
        volatile CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger checks = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        void reset() {
            gate = new CountDownLatch(1);
            entered.set(0);
            checks.set(0);
            threads.clear();
        }

        @Override
        public String encode(CharSequence raw) {
            return "plain:" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            threads.add(Thread.currentThread().getName());
            checks.incrementAndGet();
            entered.incrementAndGet();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return encoded.equals("plain:" + raw);
        }
    }
}
