package dev.tether.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.store.jdbc.Database;
import dev.tether.store.postgres.PostgresAccountStore;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.sqlite.SqliteAccountStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.support.TestPostgres;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Users, logins and tokens on each real store (a fresh database per test), with a clock the test moves. */
@ParameterizedClass(name = "{0}")
@EnumSource(AccountsTest.Kind.class)
class AccountsTest {
    static final String PASSWORD = "correct horse battery";
    @Parameter
    Kind kind;
    Opened opened;
    AccountStore store;
    MovableClock clock = new MovableClock();
    Accounts accounts;

    /** The account stores. */
    enum Kind {
        SQLITE {
            @Override
            Opened open() throws Exception {
                Database db = SqliteDatabase.open(Files.createTempDirectory("accounts").resolve("t.db"));
                return new Opened(new SqliteAccountStore(db.executor()), db::close);
            }
        },
        POSTGRESQL {
            @Override
            Opened open() {
                TestPostgres.Fresh fresh = TestPostgres.database();
                PostgresDatabase db = PostgresDatabase.open(fresh.jdbcUrl(), TestPostgres.USER, null);
                return new Opened(new PostgresAccountStore(db.executor()), () -> {
                    db.close();
                    fresh.close();
                });
            }
        };

        abstract Opened open() throws Exception;
    }

    record Opened(AccountStore store, Runnable close) {}

    @BeforeEach
    void open() throws Exception {
        opened = kind.open();
        store = opened.store();
        accounts = new Accounts(store, clock);
    }

    @AfterEach
    void close() {
        opened.close().run();
    }

    @Test
    void passwordsAreStoredAsArgon2idAndVerified() {
        accounts.createUser("ann", PASSWORD, false);
        String hash = store.passwordHash(accounts.users().getFirst().id()).orElseThrow();
        assertThat(hash).startsWith("$argon2id$").doesNotContain(PASSWORD);
        assertThat(accounts.login("ann", PASSWORD, "1.2.3.4")).isInstanceOf(Accounts.LoginOutcome.LoggedIn.class);
        assertThat(accounts.login("ANN", PASSWORD, "1.2.3.4")).as("names ignore case").isInstanceOf(Accounts.LoginOutcome.LoggedIn.class);
        assertThat(accounts.login("ann", "wrong password!", "1.2.3.4")).isInstanceOf(Accounts.LoginOutcome.Refused.class);
    }

    @Test
    void badNamesShortPasswordsAndDuplicatesAreRefused() {
        assertThat(accounts.createUser("../etc", PASSWORD, false)).isInstanceOf(Accounts.CreateOutcome.Invalid.class);
        assertThat(accounts.createUser("ann", "short", false)).isInstanceOf(Accounts.CreateOutcome.Invalid.class);
        assertThat(accounts.createUser("ann", PASSWORD, false)).isInstanceOf(Accounts.CreateOutcome.Created.class);
        assertThat(accounts.createUser("Ann", PASSWORD, false)).isInstanceOf(Accounts.CreateOutcome.NameTaken.class);
    }

    @Test
    void failedLoginsAreThrottledPerAccountUntilTheWindowPasses() {
        accounts.createUser("ann", PASSWORD, false);
        for (int i = 0; i < LoginThrottle.PER_ACCOUNT; i++) {
            assertThat(accounts.login("ann", "nope nope nope", "10.0.0." + i)).isInstanceOf(Accounts.LoginOutcome.Refused.class);
        }
        assertThat(accounts.login("ann", PASSWORD, "10.0.0.99")).isInstanceOf(Accounts.LoginOutcome.Throttled.class);
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(accounts.login("ann", PASSWORD, "10.0.0.99")).isInstanceOf(Accounts.LoginOutcome.LoggedIn.class);
    }

    @Test
    void anAccountUnderGuessingIsSlowedNotLockedAndItsOwnerGetsInAfterTheDelay() {
        accounts.createUser("ann", PASSWORD, false);
        for (int i = 0; i < 5; i++) {
            assertThat(accounts.login("ann", "nope nope nope", "10.0.0." + i)).isInstanceOf(Accounts.LoginOutcome.Refused.class);
        }
        Accounts.LoginOutcome early = accounts.login("ann", PASSWORD, "10.0.0.99");
        assertThat(early).isInstanceOf(Accounts.LoginOutcome.Throttled.class);
        assertThat(((Accounts.LoginOutcome.Throttled) early).retryAfter()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(accounts.login("ann", "still wrong!", "10.0.0.98")).isInstanceOf(Accounts.LoginOutcome.Refused.class);
        Accounts.LoginOutcome slower = accounts.login("ann", PASSWORD, "10.0.0.99");
        assertThat(((Accounts.LoginOutcome.Throttled) slower).retryAfter()).as("the delay doubles")
                .isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(accounts.login("ann", PASSWORD, "10.0.0.99")).as("the owner, well inside the window")
                .isInstanceOf(Accounts.LoginOutcome.LoggedIn.class);
        assertThat(accounts.login("ann", "nope nope nope", "10.0.0.1")).as("a success starts the account afresh")
                .isInstanceOf(Accounts.LoginOutcome.Refused.class);
    }

    @Test
    void theDelayGrowsToItsCap() {
        assertThat(LoginThrottle.delayAfter(4)).isZero();
        assertThat(LoginThrottle.delayAfter(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LoginThrottle.delayAfter(8)).isEqualTo(Duration.ofSeconds(8));
        assertThat(LoginThrottle.delayAfter(100)).isEqualTo(LoginThrottle.MAX_DELAY);
    }

    @Test
    void failedLoginsAreThrottledPerAddressAcrossAccounts() {
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            accounts.login("user" + i, "nope nope nope", "6.6.6.6");
        }
        accounts.createUser("ann", PASSWORD, false);
        assertThat(accounts.login("ann", PASSWORD, "6.6.6.6")).isInstanceOf(Accounts.LoginOutcome.Throttled.class);
        assertThat(accounts.login("ann", PASSWORD, "7.7.7.7")).isInstanceOf(Accounts.LoginOutcome.LoggedIn.class);
    }

    @Test
    void loginsExpireAndEndOnLogoutDisableAndPasswordReset() {
        accounts.createUser("ann", PASSWORD, false);
        String id = accounts.users().getFirst().id();
        String a = ((Accounts.LoginOutcome.LoggedIn) accounts.login("ann", PASSWORD, "x")).secret();
        String b = ((Accounts.LoginOutcome.LoggedIn) accounts.login("ann", PASSWORD, "x")).secret();
        assertThat(accounts.userForLogin(a)).isPresent();
        accounts.logout(a);
        assertThat(accounts.userForLogin(a)).isEmpty();
        assertThat(accounts.userForLogin(b)).isPresent();
        assertThat(accounts.resetPassword(id, "another long password")).isNull();
        assertThat(accounts.userForLogin(b)).isEmpty();
        String c = ((Accounts.LoginOutcome.LoggedIn) accounts.login("ann", "another long password", "x")).secret();
        accounts.setDisabled(id, true);
        assertThat(accounts.userForLogin(c)).isEmpty();
        accounts.setDisabled(id, false);
        String d = ((Accounts.LoginOutcome.LoggedIn) accounts.login("ann", "another long password", "x")).secret();
        clock.advance(Accounts.LOGIN_LIFETIME.plusSeconds(1));
        assertThat(accounts.userForLogin(d)).isEmpty();
    }

    @Test
    void tokensAreHashedRevocableAndScopedToTheirUser() {
        accounts.createUser("ann", PASSWORD, false);
        accounts.createUser("bob", PASSWORD, false);
        String ann = accounts.users().getFirst().id();
        String bob = accounts.users().getLast().id();
        Accounts.IssuedToken t = accounts.issueToken(ann, "cli", null, false);
        assertThat(accounts.userForToken(t.secret()).map(u -> u.user().id())).contains(ann);
        assertThat(accounts.revokeToken(bob, t.token().id())).as("not bob's to revoke").isFalse();
        assertThat(accounts.userForToken(t.secret())).isPresent();
        assertThat(accounts.revokeToken(ann, t.token().id())).isTrue();
        assertThat(accounts.userForToken(t.secret())).isEmpty();
        assertThat(accounts.tokens(ann).getFirst().isRevoked()).isTrue();
    }

    @Test
    void aPasswordResetRevokesTheUsersTokensForGood() {
        accounts.createUser("ann", PASSWORD, false);
        String ann = accounts.users().getFirst().id();
        Accounts.IssuedToken t = accounts.issueToken(ann, "cli", null, false);
        assertThat(accounts.userForToken(t.secret())).isPresent();

        assertThat(accounts.resetPassword(ann, "another long password")).isNull();

        assertThat(accounts.userForToken(t.secret())).isEmpty();
        accounts.setDisabled(ann, true);
        accounts.setDisabled(ann, false);
        assertThat(accounts.userForToken(t.secret())).as("re-enabling does not revive it").isEmpty();
        assertThat(accounts.tokens(ann).getFirst().isRevoked()).isTrue();
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Issue 17 (what users expect): preferences kept per owner on the server, defaults until chosen. */
    @Test
    void preferencesAreKeptPerOwnerAndOnlyAllowedValuesAreTaken() {
        assertThat(accounts.preferences("alice")).isEqualTo(Preferences.DEFAULT);

        Preferences dark = accounts.updatePreferences("alice", "dark", null, null);
        assertThat(dark).isEqualTo(new Preferences("dark", "medium", true));
        Preferences both = accounts.updatePreferences("alice", null, "large", false);
        assertThat(accounts.preferences("alice")).isEqualTo(both).isEqualTo(new Preferences("dark", "large", false));
        assertThat(accounts.preferences("local")).as("another owner's").isEqualTo(Preferences.DEFAULT);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> accounts.updatePreferences("alice", "sepia", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("system, light, dark");
        assertThat(accounts.preferences("alice")).as("unchanged by a refused update").isEqualTo(both);
    }
}
