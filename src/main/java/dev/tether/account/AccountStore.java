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

    /** The user of an unrevoked token whose user is enabled; records its use. */
    Optional<User> tokenUser(String tokenHash, Instant now);

    List<ApiToken> tokens(String userId);

    boolean revokeToken(String userId, String tokenId, Instant now);

    /** Revokes every token of a user that is not revoked yet (a password reset). */
    void revokeTokens(String userId, Instant now);

    /** The owner's saved preferences; empty if they never chose. */
    Optional<Preferences> preferences(String owner);

    /** Saves the owner's preferences, replacing what was saved. */
    void savePreferences(String owner, Preferences preferences, Instant at);
}
