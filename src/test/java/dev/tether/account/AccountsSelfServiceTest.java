package dev.tether.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What users do for themselves, on each real store: tokens that expire or may only read, changing
 * their own password, seeing and ending their logins; and expired logins purged.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(AccountsTest.Kind.class)
class AccountsSelfServiceTest {
    static final String PASSWORD = AccountsTest.PASSWORD;
    @Parameter
    AccountsTest.Kind kind;
    AccountsTest.Opened opened;
    AccountStore store;
    AccountsTest.MovableClock clock = new AccountsTest.MovableClock();
    Accounts accounts;
    String ann;

    @BeforeEach
    void open() throws Exception {
        opened = kind.open();
        store = opened.store();
        accounts = new Accounts(store, clock);
        accounts.createUser("ann", PASSWORD, false);
        ann = accounts.users().getFirst().id();
    }

    @AfterEach
    void close() {
        opened.close().run();
    }

    private String login() {
        return ((Accounts.LoginOutcome.LoggedIn) accounts.login("ann", PASSWORD, "1.2.3.4")).secret();
    }

    @Test
    void aTokenStopsWorkingWhenItExpiresAndKeepsItsScope() {
        Accounts.IssuedToken week = accounts.issueToken(ann, "ci", Duration.ofDays(7), true);
        Accounts.IssuedToken forever = accounts.issueToken(ann, "cli", null, false);

        assertThat(accounts.userForToken(week.secret()).orElseThrow().readOnly()).isTrue();
        assertThat(accounts.userForToken(forever.secret()).orElseThrow().readOnly()).isFalse();
        assertThat(accounts.tokens(ann)).extracting(ApiToken::expiresAt)
                .containsExactlyInAnyOrder(week.token().expiresAt(), null);
        clock.advance(Duration.ofDays(7).plusSeconds(1));

        assertThat(accounts.userForToken(week.secret())).isEmpty();
        assertThat(accounts.userForToken(forever.secret())).isPresent();
    }

    @Test
    void changingTheOwnPasswordNeedsTheCurrentOneAndEndsTheOtherLogins() {
        String here = login();
        String elsewhere = login();

        assertThat(accounts.changePassword(ann, "not my password", "a brand new password", here, "1.2.3.4"))
                .isInstanceOf(Accounts.PasswordChange.WrongPassword.class);
        assertThat(accounts.changePassword(ann, PASSWORD, "short", here, "1.2.3.4"))
                .isInstanceOf(Accounts.PasswordChange.Invalid.class);
        assertThat(accounts.userForLogin(elsewhere)).isPresent();

        assertThat(accounts.changePassword(ann, PASSWORD, "a brand new password", here, "1.2.3.4"))
                .isInstanceOf(Accounts.PasswordChange.Changed.class);
        assertThat(accounts.userForLogin(here)).isPresent();
        assertThat(accounts.userForLogin(elsewhere)).isEmpty();
        assertThat(accounts.login("ann", PASSWORD, "1.2.3.5")).isInstanceOf(Accounts.LoginOutcome.Refused.class);
        assertThat(accounts.login("ann", "a brand new password", "1.2.3.5"))
                .isInstanceOf(Accounts.LoginOutcome.LoggedIn.class);
    }

    @Test
    void aUserSeesTheirLoginsAndEndsOne() {
        String here = login();
        String elsewhere = login();
        accounts.createUser("bob", PASSWORD, false);
        String bob = accounts.users().getLast().id();

        var logins = accounts.logins(ann, here);
        assertThat(logins).hasSize(2);
        assertThat(logins).filteredOn(Accounts.LoginView::current).extracting(Accounts.LoginView::id)
                .containsExactly(Accounts.loginIdOf(here));
        String other = Accounts.loginIdOf(elsewhere);

        assertThat(accounts.endLogin(bob, other)).as("not bob's to end").isFalse();
        assertThat(accounts.endLogin(ann, other)).isTrue();
        assertThat(accounts.userForLogin(elsewhere)).isEmpty();
        assertThat(accounts.userForLogin(here)).isPresent();
        assertThat(accounts.logins(ann, here)).hasSize(1);
    }

    @Test
    void expiredLoginsArePurgedWhenSomeoneLogsIn() {
        login();
        assertThat(store.logins(ann, Instant.EPOCH)).hasSize(1);
        clock.advance(Accounts.LOGIN_LIFETIME.plusSeconds(1));

        login();

        assertThat(store.logins(ann, Instant.EPOCH)).as("every row, expired or not").hasSize(1);
    }
}
