package dev.tether.store.jdbc;

import dev.tether.account.AccountStore;
import dev.tether.account.ApiToken;
import dev.tether.account.Preferences;
import dev.tether.account.User;
import dev.tether.store.jdbc.Sql.Mapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link AccountStore} in the same database as the sessions: the SQL every store shares. Names
 * compare without case; how a database spells that is the store's ({@link Names}).
 */
public abstract class SqlAccountStore implements AccountStore {

    /**
     * The statements about names, built once per store kind: {@code same} compares the column with
     * one parameter without case, {@code order} sorts by name without case, {@code conflict} ends
     * the insert (e.g. {@code ON CONFLICT DO NOTHING} where a unique index decides two creations at once).
     */
    public record Names(String insert, String find, String list) {
        public static Names of(String same, String order, String conflict) {
            return new Names("INSERT INTO users (id, name, password_hash, admin, disabled, created_at)"
                    + " SELECT ?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM users WHERE " + same + ")" + conflict,
                    "SELECT * FROM users WHERE " + same, "SELECT * FROM users ORDER BY " + order);
        }
    }

    private final SqlExecutor db;
    private final Names names;
    private final Mapper<User> user;
    private final Mapper<TokenUse> tokenUse;
    private final Mapper<ApiToken> token;
    private final Mapper<Login> login;

    protected SqlAccountStore(SqlExecutor db, Names names) {
        this.db = db;
        this.names = names;
        Rows rows = new Rows(db.columns());
        this.user = rs -> new User(rs.getString("id"), rs.getString("name"), rs.getBoolean("admin"),
                rs.getBoolean("disabled"), rows.instant(rs, "created_at"));
        this.tokenUse = rs -> new TokenUse(new TokenUser(user.map(rs), rs.getBoolean("token_read_only")),
                rows.instant(rs, "token_used"));
        this.token = rs -> new ApiToken(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                rows.instant(rs, "created_at"), rows.instant(rs, "last_used_at"), rows.instant(rs, "revoked_at"),
                rows.instant(rs, "expires_at"), rs.getBoolean("read_only"));
        this.login = rs -> new Login(rs.getString("token_hash").substring(0, LOGIN_ID_LENGTH), rs.getString("token_hash"),
                rows.instant(rs, "created_at"), rows.instant(rs, "expires_at"));
    }

    /** A token's user, and when the token was last used. */
    private record TokenUse(TokenUser user, Instant lastUsed) {}

    @Override
    public boolean createUser(User u, String passwordHash) {
        return db.write(sql -> sql.update(names.insert(),
                u.id(), u.name(), passwordHash, u.admin(), u.disabled(), u.createdAt(), u.name()) == 1);
    }

    @Override
    public Optional<User> findUser(String id) {
        return db.read(sql -> sql.one("SELECT * FROM users WHERE id = ?", user, id));
    }

    @Override
    public Optional<User> findUserByName(String name) {
        return db.read(sql -> sql.one(names.find(), user, name));
    }

    @Override
    public Optional<String> passwordHash(String userId) {
        return db.read(sql -> sql.one("SELECT password_hash FROM users WHERE id = ?", rs -> rs.getString(1), userId));
    }

    @Override
    public List<User> users() {
        return db.read(sql -> sql.query(names.list(), user));
    }

    @Override
    public long userCount() {
        return db.read(sql -> sql.one("SELECT count(*) FROM users", rs -> rs.getLong(1)).orElse(0L));
    }

    @Override
    public boolean setDisabled(String userId, boolean disabled) {
        return db.write(sql -> sql.update("UPDATE users SET disabled = ? WHERE id = ?", disabled, userId) == 1);
    }

    @Override
    public boolean setPasswordHash(String userId, String passwordHash) {
        return db.write(sql -> sql.update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId) == 1);
    }

    @Override
    public void createLogin(String tokenHash, String userId, Instant expiresAt) {
        db.write(sql -> sql.update("INSERT INTO logins (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)",
                tokenHash, userId, Instant.now(), expiresAt));
    }

    @Override
    public Optional<User> loginUser(String tokenHash, Instant now) {
        return db.read(sql -> sql.one("SELECT u.* FROM logins l JOIN users u ON u.id = l.user_id"
                + " WHERE l.token_hash = ? AND l.expires_at > ? AND NOT u.disabled", user, tokenHash, now));
    }

    @Override
    public void deleteLogin(String tokenHash) {
        db.write(sql -> sql.update("DELETE FROM logins WHERE token_hash = ?", tokenHash));
    }

    @Override
    public void deleteLogins(String userId) {
        db.write(sql -> sql.update("DELETE FROM logins WHERE user_id = ?", userId));
    }

    @Override
    public List<Login> logins(String userId, Instant now) {
        return db.read(sql -> sql.query("SELECT * FROM logins WHERE user_id = ? AND expires_at > ? ORDER BY created_at",
                login, userId, now));
    }

    @Override
    public boolean deleteLogin(String userId, String loginId) {
        return loginId.length() == LOGIN_ID_LENGTH && db.write(sql -> sql.update(
                "DELETE FROM logins WHERE user_id = ? AND substr(token_hash, 1, " + LOGIN_ID_LENGTH + ") = ?",
                userId, loginId)) > 0;
    }

    @Override
    public void deleteOtherLogins(String userId, String keepTokenHash) {
        db.write(sql -> sql.update("DELETE FROM logins WHERE user_id = ? AND token_hash <> ?", userId, keepTokenHash));
    }

    @Override
    public void deleteExpiredLogins(Instant now) {
        db.write(sql -> sql.update("DELETE FROM logins WHERE expires_at <= ?", now));
    }

    @Override
    public void createToken(ApiToken t, String tokenHash) {
        db.write(sql -> sql.update("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at,"
                + " read_only) VALUES (?,?,?,?,?,?,?)",
                t.id(), t.userId(), t.name(), tokenHash, t.createdAt(), t.expiresAt(), t.readOnly()));
    }

    @Override
    public Optional<TokenUser> tokenUser(String tokenHash, Instant now) {
        Optional<TokenUse> use = db.read(sql -> sql.one("SELECT u.*, t.last_used_at AS token_used,"
                + " t.read_only AS token_read_only FROM api_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
                + " AND NOT u.disabled", tokenUse, tokenHash, now));
        // Record the use at most once a minute: a script's every request need not be a write.
        use.filter(u -> u.lastUsed() == null || u.lastUsed().isBefore(now.minusSeconds(60))).ifPresent(u -> db.write(sql ->
                sql.update("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", now, tokenHash)));
        return use.map(TokenUse::user);
    }

    @Override
    public List<ApiToken> tokens(String userId) {
        return db.read(sql -> sql.query("SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at", token,
                userId));
    }

    @Override
    public void revokeTokens(String userId, Instant now) {
        db.write(sql -> sql.update("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                now, userId));
    }

    @Override
    public boolean revokeToken(String userId, String tokenId, Instant now) {
        return db.write(sql -> sql.update("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                now, tokenId, userId) == 1);
    }

    @Override
    public Optional<Preferences> preferences(String owner) {
        return db.read(sql -> sql.one("SELECT theme, font_size, send_on_enter FROM preferences WHERE owner = ?",
                rs -> new Preferences(rs.getString(1), rs.getString(2), rs.getBoolean(3)), owner));
    }

    @Override
    public void savePreferences(String owner, Preferences p, Instant at) {
        db.write(sql -> sql.update("INSERT INTO preferences (owner, theme, font_size, send_on_enter, updated_at)"
                        + " VALUES (?,?,?,?,?) ON CONFLICT (owner) DO UPDATE SET theme = excluded.theme,"
                        + " font_size = excluded.font_size, send_on_enter = excluded.send_on_enter,"
                        + " updated_at = excluded.updated_at",
                owner, p.theme(), p.fontSize(), p.sendOnEnter(), at));
    }
}
