package dev.tether.web.routes;

import dev.tether.account.Accounts;
import dev.tether.account.Accounts.CreateOutcome;
import dev.tether.account.Accounts.LoginOutcome;
import dev.tether.account.ApiToken;
import dev.tether.account.Preferences;
import dev.tether.account.User;
import dev.tether.web.ApiError;
import dev.tether.web.BodyReader;
import dev.tether.web.Gate;
import dev.tether.web.JsonBody;
import dev.tether.web.OpenStreams;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import dev.tether.web.WebWatch;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Login, logout, who am I; admin user management; personal API tokens. */
record AccountRoutes(Accounts accounts, Gate gate, BodyReader bodies, boolean loginRequired, WebWatch watch,
                     OpenStreams streams) {
    /** The longest a token may be issued for (ten years); without {@code expires_in_days} it never expires. */
    static final int MAX_TOKEN_DAYS = 3650;

    void login(Context ctx) {
        JsonBody body = bodies.read(ctx);
        switch (accounts.login(body.string("name"), body.string("password"), gate.clientAddress(ctx))) {
            case LoginOutcome.LoggedIn in -> {
                ctx.cookie(gate.loginCookie(ctx, in.secret(), (int) Accounts.LOGIN_LIFETIME.toSeconds()));
                ctx.json(Map.of("user", user(in.user())));
            }
            case LoginOutcome.Refused r -> {
                watch.loginFailed("refused");
                throw new ApiError(401, "invalid_credentials", "Wrong name or password.");
            }
            case LoginOutcome.Throttled t -> {
                watch.loginFailed("throttled");
                throw new ApiError(429, "rate_limited", "Too many failed logins; try again later.",
                        Map.of("retry_after", seconds(t.retryAfter())));
            }
            case LoginOutcome.Busy b -> throw new ApiError(503, "busy",
                    "Too many logins at once; try again in a moment.", Map.of("retry_after", 1));
        }
    }

    void logout(Context ctx) {
        accounts.logout(ctx.cookie(Gate.COOKIE));
        streams.endLogin(ctx.cookie(Gate.COOKIE));
        ctx.cookie(gate.loginCookie(ctx, "", 0));
        ctx.json(Map.of("ok", true));
    }

    void me(Context ctx) {
        Principal who = ctx.attribute(Requests.PRINCIPAL);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("login_required", loginRequired);
        out.put("user", who == null ? null : Map.of("user_id", who.owner(), "name", who.name(), "admin", who.admin()));
        ctx.json(out);
    }

    void users(Context ctx) {
        admin(ctx);
        ctx.json(Map.of("users", accounts.users().stream().map(AccountRoutes::user).toList()));
    }

    void createUser(Context ctx) {
        admin(ctx);
        JsonBody body = bodies.read(ctx);
        switch (accounts.createUser(body.string("name"), body.string("password"), body.flag("admin"))) {
            case CreateOutcome.Created c -> ctx.json(Map.of("user", user(c.user())));
            case CreateOutcome.NameTaken t -> throw new ApiError(409, "name_taken", "That name is taken.");
            case CreateOutcome.Invalid i -> throw new ApiError(400, "bad_field", i.reason());
        }
    }

    void disable(Context ctx) {
        Principal who = admin(ctx);
        JsonBody body = bodies.read(ctx);
        String userId = body.string("user_id");
        boolean disabled = body.optBool("disabled") == null || body.flag("disabled");
        if (userId.equals(who.owner()) && disabled) {
            throw new ApiError(409, "not_applicable", "You cannot disable yourself.");
        }
        if (!accounts.setDisabled(userId, disabled)) {
            throw ApiError.notFound("user_not_found", "No such user.");
        }
        if (disabled) {
            streams.endUser(userId);
        }
        ctx.json(Map.of("ok", true));
    }

    void resetPassword(Context ctx) {
        admin(ctx);
        JsonBody body = bodies.read(ctx);
        String userId = body.string("user_id");
        String problem = accounts.resetPassword(userId, body.string("password"));
        if (problem != null) {
            throw problem.equals("No such user.") ? ApiError.notFound("user_not_found", problem)
                    : new ApiError(400, "bad_field", problem);
        }
        streams.endUser(userId); // their logins and tokens were ended with the reset
        ctx.json(Map.of("ok", true));
    }

    void tokens(Context ctx) {
        Principal who = Requests.principal(ctx);
        ctx.json(Map.of("tokens", accounts.tokens(who.owner()).stream().map(AccountRoutes::token).toList()));
    }

    void issueToken(Context ctx) {
        Principal who = Requests.principal(ctx);
        if (!loginRequired) {
            // The no-login mode's local user is no row of users, so a token could name no owner.
            throw new ApiError(409, "tokens_need_login", "API tokens need login. This server has no login: "
                    + "it answers only on this computer, where scripts can call the API without a token. "
                    + "Start Tether with TETHER_AUTH=on to use tokens.");
        }
        if (!who.ambient()) { // a leaked token must not be able to mint its own successors
            throw new ApiError(403, "token_cannot_issue", "An API token cannot create tokens; log in to make one.");
        }
        JsonBody body = bodies.read(ctx);
        Integer days = body.optInt("expires_in_days", 1);
        if (days != null && days > MAX_TOKEN_DAYS) {
            throw new ApiError(400, "bad_field", "expires_in_days must be 1 to " + MAX_TOKEN_DAYS + ".");
        }
        Accounts.IssuedToken issued = accounts.issueToken(who.owner(), body.optString("name"),
                days == null ? null : java.time.Duration.ofDays(days), body.flag("read_only"));
        ctx.json(Map.of("token", token(issued.token()), "secret", issued.secret()));
    }

    void revokeToken(Context ctx) {
        Principal who = Requests.principal(ctx);
        if (!accounts.revokeToken(who.owner(), bodies.read(ctx).string("token_id"))) {
            throw ApiError.notFound("token_not_found", "No such token.");
        }
        ctx.json(Map.of("ok", true));
    }

    void preferences(Context ctx) {
        ctx.json(preferences(accounts.preferences(Requests.principal(ctx).owner())));
    }

    void updatePreferences(Context ctx) {
        JsonBody body = bodies.read(ctx);
        try {
            ctx.json(preferences(accounts.updatePreferences(Requests.principal(ctx).owner(), body.optString("theme"),
                    body.optString("font_size"), body.optBool("send_on_enter"))));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad_field", e.getMessage());
        }
    }

    private static Map<String, Object> preferences(Preferences p) {
        return Map.of("theme", p.theme(), "font_size", p.fontSize(), "send_on_enter", p.sendOnEnter());
    }

    /** Rounded up, so a client that waits as told is not refused again. */
    private static long seconds(java.time.Duration d) {
        return Math.max(1, d.plusNanos(999_999_999).toSeconds());
    }

    private Principal admin(Context ctx) {
        Principal who = Requests.principal(ctx);
        if (!who.admin()) {
            throw new ApiError(403, "admin_only", "Only an administrator may do this.");
        }
        return who;
    }

    private static Map<String, Object> user(User u) {
        return Map.of("user_id", u.id(), "name", u.name(), "admin", u.admin(), "disabled", u.disabled(),
                "created_at", u.createdAt().toString());
    }

    private static Map<String, Object> token(ApiToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token_id", t.id());
        out.put("name", t.name());
        out.put("created_at", t.createdAt().toString());
        out.put("last_used_at", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        out.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
        out.put("read_only", t.readOnly());
        out.put("revoked", t.isRevoked());
        return out;
    }

}
