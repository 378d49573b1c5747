package dev.tether.store.sqlite;

import static dev.tether.store.jdbc.Rows.one;
import static dev.tether.store.jdbc.Rows.query;
import static dev.tether.store.jdbc.Rows.update;

import dev.tether.account.AccountStore;
import dev.tether.account.ApiToken;
import dev.tether.account.User;
import dev.tether.store.jdbc.JdbcExecutor;
import dev.tether.store.jdbc.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link AccountStore} in the same SQLite file as the sessions. */
public final class SqliteAccountStore implements AccountStore {
    private final JdbcExecutor db;

    public SqliteAccountStore(JdbcExecutor db) {
        this.db = db;
    }

    @Override
    public boolean createUser(User u, String passwordHash) {
        return db.write(c -> update(c, "INSERT INTO users (id, name, password_hash, admin, disabled, created_at)"
                + " SELECT ?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM users WHERE name = ? COLLATE NOCASE)",
                u.id(), u.name(), passwordHash, u.admin(), u.disabled(), u.createdAt(), u.name()) == 1);
    }

    @Override
    public Optional<User> findUser(String id) {
        return db.read(c -> one(c, "SELECT * FROM users WHERE id = ?", SqliteAccountStore::user, id));
    }

    @Override
    public Optional<User> findUserByName(String name) {
        return db.read(c -> one(c, "SELECT * FROM users WHERE name = ? COLLATE NOCASE", SqliteAccountStore::user, name));
    }

    @Override
    public Optional<String> passwordHash(String userId) {
        return db.read(c -> one(c, "SELECT password_hash FROM users WHERE id = ?", rs -> rs.getString(1), userId));
    }

    @Override
    public List<User> users() {
        return db.read(c -> query(c, "SELECT * FROM users ORDER BY name COLLATE NOCASE", SqliteAccountStore::user));
    }

    @Override
    public long userCount() {
        return db.read(c -> one(c, "SELECT count(*) FROM users", rs -> rs.getLong(1)).orElse(0L));
    }

    @Override
    public boolean setDisabled(String userId, boolean disabled) {
        return db.write(c -> update(c, "UPDATE users SET disabled = ? WHERE id = ?", disabled, userId) == 1);
    }

    @Override
    public boolean setPasswordHash(String userId, String passwordHash) {
        return db.write(c -> update(c, "UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId) == 1);
    }

    @Override
    public void createLogin(String tokenHash, String userId, Instant expiresAt) {
        db.write(c -> update(c, "INSERT INTO logins (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)",
                tokenHash, userId, Instant.now(), expiresAt));
    }

    @Override
    public Optional<User> loginUser(String tokenHash, Instant now) {
        return db.read(c -> one(c, "SELECT u.* FROM logins l JOIN users u ON u.id = l.user_id"
                + " WHERE l.token_hash = ? AND l.expires_at > ? AND u.disabled = 0", SqliteAccountStore::user, tokenHash, now));
    }

    @Override
    public void deleteLogin(String tokenHash) {
        db.write(c -> update(c, "DELETE FROM logins WHERE token_hash = ?", tokenHash));
    }

    @Override
    public void deleteLogins(String userId) {
        db.write(c -> update(c, "DELETE FROM logins WHERE user_id = ?", userId));
    }

    @Override
    public void createToken(ApiToken t, String tokenHash) {
        db.write(c -> update(c, "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?,?,?,?,?)",
                t.id(), t.userId(), t.name(), tokenHash, t.createdAt()));
    }

    @Override
    public Optional<User> tokenUser(String tokenHash, Instant now) {
        record Use(User user, Instant lastUsed) {}
        Optional<Use> use = db.read(c -> one(c, "SELECT u.*, t.last_used_at AS token_used FROM api_tokens t"
                + " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
                rs -> new Use(user(rs), Rows.instant(rs, "token_used")), tokenHash));
        // Record the use at most once a minute: a script's every request need not be a write.
        use.filter(u -> u.lastUsed() == null || u.lastUsed().isBefore(now.minusSeconds(60))).ifPresent(u -> db.write(c ->
                update(c, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", now, tokenHash)));
        return use.map(Use::user);
    }

    @Override
    public List<ApiToken> tokens(String userId) {
        return db.read(c -> query(c, "SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at", rs -> new ApiToken(
                rs.getString("id"), rs.getString("user_id"), rs.getString("name"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "last_used_at"), Rows.instant(rs, "revoked_at")), userId));
    }

    @Override
    public boolean revokeToken(String userId, String tokenId, Instant now) {
        return db.write(c -> update(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                now, tokenId, userId) == 1);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), rs.getInt("admin") != 0, rs.getInt("disabled") != 0,
                Rows.instant(rs, "created_at"));
    }
}
