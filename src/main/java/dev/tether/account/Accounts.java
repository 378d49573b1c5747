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
    private final Passwords passwords = new Passwords();
    private final LoginThrottle throttle;
    /** Checked against when a name is unknown, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;

    public Accounts(AccountStore store, Clock clock) {
        this.store = store;
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

    public LoginOutcome login(String name, String password, String address) {
        String account = name == null ? "" : name;
        Optional<Duration> wait = throttle.waitFor(account, address);
        if (wait.isPresent()) {
            return new LoginOutcome.Throttled(wait.get());
        }
        Optional<User> user = store.findUserByName(account);
        String hash = user.flatMap(u -> store.passwordHash(u.id())).orElse(decoyHash);
        boolean ok = password != null && passwords.matches(password, hash) && user.isPresent() && !user.get().disabled();
        if (!ok) {
            throttle.failed(account, address);
            return new LoginOutcome.Refused();
        }
        throttle.succeeded(account);
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

    public Optional<User> userForToken(String secret) {
        return secret == null || secret.isBlank() ? Optional.empty() : store.tokenUser(Secrets.hash(secret), clock.instant());
    }

    public IssuedToken issueToken(String userId, String name) {
        String secret = Secrets.newSecret("tt_");
        ApiToken token = new ApiToken(UUID.randomUUID().toString(), userId,
                name == null || name.isBlank() ? "token" : name.strip(), clock.instant(), null, null);
        store.createToken(token, Secrets.hash(secret));
        return new IssuedToken(token, secret);
    }

    public List<ApiToken> tokens(String userId) {
        return store.tokens(userId);
    }

    public boolean revokeToken(String userId, String tokenId) {
        return store.revokeToken(userId, tokenId, clock.instant());
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

    /** Null on success, else why not. Ends the user's logins. */
    public String resetPassword(String userId, String password) {
        String problem = Passwords.problemWith(password);
        if (problem != null) {
            return problem;
        }
        if (!store.setPasswordHash(userId, passwords.hash(password))) {
            return "No such user.";
        }
        store.deleteLogins(userId);
        return null;
    }

    Instant now() {
        return clock.instant();
    }
}
