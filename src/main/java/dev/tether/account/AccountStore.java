package dev.tether.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: users, login sessions and API tokens. Secrets arrive here already hashed. */
public interface AccountStore {

    /** False if the name is taken (names compare case-insensitively). */
    boolean createUser(User user, String passwordHash);

    Optional<User> findUser(String id);

    Optional<User> findUserByName(String name);

    /** The stored password hash of an enabled or disabled user. */
    Optional<String> passwordHash(String userId);

    List<User> users();

    long userCount();

    boolean setDisabled(String userId, boolean disabled);

    boolean setPasswordHash(String userId, String passwordHash);

    void createLogin(String tokenHash, String userId, Instant expiresAt);

    /** The user of an unexpired login whose user is enabled. */
    Optional<User> loginUser(String tokenHash, Instant now);

    void deleteLogin(String tokenHash);

    /** Ends every login of a user (password reset, disable). */
    void deleteLogins(String userId);

    void createToken(ApiToken token, String tokenHash);

    /** The user of an unrevoked, unexpired token whose user is enabled, and its scope; records its use. */
    Optional<TokenUser> tokenUser(String tokenHash, Instant now);

    /** Whose a token is, and whether it may only read. */
    record TokenUser(User user, boolean readOnly) {}

    /** The logins of a user that have not expired, oldest first. */
    List<Login> logins(String userId, Instant now);

    /** How many characters of a login's hash are its {@link Login#id}. */
    int LOGIN_ID_LENGTH = 16;

    /**
     * A login as its owner sees it: {@code id}, the start of its hash, tells a user's logins apart
     * and is too short to be the hash the cookie is looked up by.
     */
    record Login(String id, String tokenHash, Instant createdAt, Instant expiresAt) {}

    /** Ends one login of a user by its {@link Login#id}; false if there is none. */
    boolean deleteLogin(String userId, String loginId);

    /** Ends every login of a user but the one whose hash is {@code keepTokenHash}. */
    void deleteOtherLogins(String userId, String keepTokenHash);

    /** Deletes the logins that expired before {@code now}. */
    void deleteExpiredLogins(Instant now);

    List<ApiToken> tokens(String userId);

    boolean revokeToken(String userId, String tokenId, Instant now);

    /** Revokes every token of a user that is not revoked yet (a password reset). */
    void revokeTokens(String userId, Instant now);

    /** The owner's saved preferences; empty if they never chose. */
    Optional<Preferences> preferences(String owner);

    /** Saves the owner's preferences, replacing what was saved. */
    void savePreferences(String owner, Preferences preferences, Instant at);
}
