package dev.tether.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Users, logins and API tokens: the only place that hashes or checks a secret.
 *
 * <p>Threading: stateless apart from the throttle (thread-safe) and the store.
 */
public final class Accounts {
    public static final Duration LOGIN_LIFETIME = Duration.ofDays(30);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final AccountStore store;
    private final Clock clock;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    /** Checked against when a name is unknown, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;

    public Accounts(AccountStore store, Clock clock) {
        this(store, clock, new Passwords());
    }

    Accounts(AccountStore store, Clock clock, Passwords passwords) {
        this.store = store;
        this.passwords = passwords;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
        this.decoyHash = passwords.hash(UUID.randomUUID().toString());
    }

    public sealed interface CreateOutcome {
        record Created(User user) implements CreateOutcome {}

        record NameTaken() implements CreateOutcome {}

        record Invalid(String reason) implements CreateOutcome {}
    }

    public sealed interface LoginOutcome {
        record LoggedIn(User user, String secret) implements LoginOutcome {}

        record Refused() implements LoginOutcome {}

        record Throttled(Duration retryAfter) implements LoginOutcome {}

        /** Every password check is taken; nothing was counted against the caller. */
        record Busy() implements LoginOutcome {}
    }

    /** Every password check is taken (see {@link Passwords}): the caller should try again in a moment. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("Too many password checks at once; try again in a moment.", null, false, false);
        }
    }

    /** A token as issued: its metadata and the secret, which is never shown again. */
    public record IssuedToken(ApiToken token, String secret) {}

    public CreateOutcome createUser(String name, String password, boolean admin) {
        if (name == null || !NAME.matcher(name).matches()) {
            return new CreateOutcome.Invalid("A user name has 1 to 64 letters, digits or . _ @ -");
        }
        String problem = Passwords.problemWith(password);
        if (problem != null) {
            return new CreateOutcome.Invalid(problem);
        }
        User user = new User(UUID.randomUUID().toString(), name, admin, false, clock.instant());
        return store.createUser(user, passwords.hash(password))
                ? new CreateOutcome.Created(user) : new CreateOutcome.NameTaken();
    }

    /**
     * Checks a password. The throttle's attempt is reserved before the hash (so simultaneous guesses
     * cannot all pass its check), and a name that no user could have is refused without being
     * remembered: a stranger chooses it, and it could be a megabyte long.
     */
    public LoginOutcome login(String name, String password, String address) {
        boolean possible = name != null && NAME.matcher(name).matches();
        LoginThrottle.Decision decision = throttle.reserve(possible ? name : null, address);
        if (decision.attempt().isEmpty()) {
            return new LoginOutcome.Throttled(decision.retryAfter());
        }
        LoginThrottle.Attempt attempt = decision.attempt().get();
        if (!possible || password == null || password.length() > Passwords.MAX_LENGTH) {
            return new LoginOutcome.Refused();
        }
        Optional<User> user = store.findUserByName(name);
        String hash = user.flatMap(u -> store.passwordHash(u.id())).orElse(decoyHash);
        boolean ok;
        try {
            ok = passwords.matches(password, hash) && user.isPresent() && !user.get().disabled();
        } catch (Busy busy) {
            throttle.withdrawn(attempt);
            return new LoginOutcome.Busy();
        }
        if (!ok) {
            return new LoginOutcome.Refused();
        }
        throttle.succeeded(attempt);
        store.deleteExpiredLogins(clock.instant()); // expired logins go here, not in a thread of their own
        String secret = Secrets.newSecret("tl_");
        store.createLogin(Secrets.hash(secret), user.get().id(), clock.instant().plus(LOGIN_LIFETIME));
        return new LoginOutcome.LoggedIn(user.get(), secret);
    }

    public Optional<User> userForLogin(String secret) {
        return secret == null || secret.isBlank() ? Optional.empty() : store.loginUser(Secrets.hash(secret), clock.instant());
    }

    public void logout(String secret) {
        if (secret != null) {
            store.deleteLogin(Secrets.hash(secret));
        }
    }

    public Optional<AccountStore.TokenUser> userForToken(String secret) {
        return secret == null || secret.isBlank() ? Optional.empty() : store.tokenUser(Secrets.hash(secret), clock.instant());
    }

    /** A token for {@code userId} that expires after {@code lifetime} (null: never), read-only or not. */
    public IssuedToken issueToken(String userId, String name, Duration lifetime, boolean readOnly) {
        String secret = Secrets.newSecret("tt_");
        Instant now = clock.instant();
        ApiToken token = new ApiToken(UUID.randomUUID().toString(), userId,
                name == null || name.isBlank() ? "token" : name.strip(), now, null, null,
                lifetime == null ? null : now.plus(lifetime), readOnly);
        store.createToken(token, Secrets.hash(secret));
        return new IssuedToken(token, secret);
    }

    /** A user's logins that have not expired; {@code current} is the caller's own login secret (may be null). */
    public List<LoginView> logins(String userId, String current) {
        String currentHash = current == null ? null : Secrets.hash(current);
        return store.logins(userId, clock.instant()).stream()
                .map(l -> new LoginView(l.id(), l.createdAt(), l.expiresAt(), l.tokenHash().equals(currentHash))).toList();
    }

    /** A login as its owner is shown it. */
    public record LoginView(String id, Instant createdAt, Instant expiresAt, boolean current) {}

    /** Ends one of the user's logins; false if they have none of that id. */
    public boolean endLogin(String userId, String loginId) {
        return loginId != null && store.deleteLogin(userId, loginId);
    }

    /** The id {@link #logins} shows for the login of {@code secret}. */
    public static String loginIdOf(String secret) {
        return Secrets.hash(secret).substring(0, AccountStore.LOGIN_ID_LENGTH);
    }

    public sealed interface PasswordChange {
        record Changed() implements PasswordChange {}

        record WrongPassword() implements PasswordChange {}

        record Invalid(String reason) implements PasswordChange {}

        record Throttled(Duration retryAfter) implements PasswordChange {}
    }

    /**
     * A user changes their own password: the current one is checked first (and counted by the
     * login throttle like a login, so a borrowed session cannot guess it), then every other login of
     * theirs ends; the one making the change ({@code currentSecret}) stays. Tokens stay: they are
     * revoked one by one, or all at once by an admin's reset.
     */
    public PasswordChange changePassword(String userId, String current, String next, String currentSecret,
                                         String address) {
        Optional<User> user = store.findUser(userId);
        if (user.isEmpty()) {
            return new PasswordChange.WrongPassword();
        }
        LoginThrottle.Decision decision = throttle.reserve(user.get().name(), address);
        if (decision.attempt().isEmpty()) {
            return new PasswordChange.Throttled(decision.retryAfter());
        }
        LoginThrottle.Attempt attempt = decision.attempt().get();
        String problem = Passwords.problemWith(next);
        if (problem != null) {
            throttle.withdrawn(attempt);
            return new PasswordChange.Invalid(problem);
        }
        boolean matches;
        try {
            matches = current != null && current.length() <= Passwords.MAX_LENGTH
                    && passwords.matches(current, store.passwordHash(userId).orElse(decoyHash));
        } catch (Busy busy) {
            throttle.withdrawn(attempt);
            throw busy;
        }
        if (!matches) {
            return new PasswordChange.WrongPassword();
        }
        throttle.succeeded(attempt);
        store.setPasswordHash(userId, passwords.hash(next));
        store.deleteOtherLogins(userId, currentSecret == null ? "" : Secrets.hash(currentSecret));
        return new PasswordChange.Changed();
    }

    public List<ApiToken> tokens(String userId) {
        return store.tokens(userId);
    }

    public boolean revokeToken(String userId, String tokenId) {
        return store.revokeToken(userId, tokenId, clock.instant());
    }

    /** The owner's preferences, or the defaults if they never chose. */
    public Preferences preferences(String owner) {
        return store.preferences(owner).orElse(Preferences.DEFAULT);
    }

    /**
     * Changes the given preferences (null keeps one) and saves them.
     *
     * @throws IllegalArgumentException a value is not one of the allowed ones (its message says which are)
     */
    public Preferences updatePreferences(String owner, String theme, String fontSize, Boolean sendOnEnter) {
        Preferences changed = preferences(owner).with(theme, fontSize, sendOnEnter);
        store.savePreferences(owner, changed, clock.instant());
        return changed;
    }

    public List<User> users() {
        return store.users();
    }

    public Optional<User> user(String id) {
        return store.findUser(id);
    }

    public boolean hasUsers() {
        return store.userCount() > 0;
    }

    /** Disabling also ends the user's logins at once. */
    public boolean setDisabled(String userId, boolean disabled) {
        boolean changed = store.setDisabled(userId, disabled);
        if (changed && disabled) {
            store.deleteLogins(userId);
        }
        return changed;
    }

    /**
     * Null on success, else why not. Ends the user's logins and revokes their API tokens: a reset
     * is what an admin does when an account may be in the wrong hands, and re-enabling the user
     * later must not bring old tokens back.
     */
    public String resetPassword(String userId, String password) {
        String problem = Passwords.problemWith(password);
        if (problem != null) {
            return problem;
        }
        if (!store.setPasswordHash(userId, passwords.hash(password))) {
            return "No such user.";
        }
        store.deleteLogins(userId);
        store.revokeTokens(userId, clock.instant());
        return null;
    }

    Instant now() {
        return clock.instant();
    }
}
