package dev.tether.web.routes;

import dev.tether.account.Accounts;
import dev.tether.account.Accounts.PasswordChange;
import dev.tether.web.ApiError;
import dev.tether.web.BodyReader;
import dev.tether.web.Gate;
import dev.tether.web.JsonBody;
import dev.tether.web.OpenStreams;
import dev.tether.web.Principal;
import dev.tether.web.Requests;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's own account: change their password, see their logins and end them. These need a login
 * (the cookie): an API token never manages the account's credentials, and the local user of the
 * no-login mode has none.
 */
record ProfileRoutes(Accounts accounts, Gate gate, BodyReader bodies, OpenStreams streams) {

    /** The current password is required; every other login of the user ends (this one stays). */
    void changePassword(Context ctx) {
        Principal who = loggedIn(ctx);
        JsonBody body = bodies.read(ctx);
        String cookie = ctx.cookie(Gate.COOKIE);
        switch (accounts.changePassword(who.owner(), body.string("current_password"), body.string("new_password"),
                cookie, gate.clientAddress(ctx))) {
            case PasswordChange.Changed c -> {
                streams.endLogins(who.owner(), other -> !other.equals(cookie));
                ctx.json(Map.of("ok", true));
            }
            case PasswordChange.WrongPassword w -> throw new ApiError(403, "wrong_password",
                    "The current password is wrong; nothing was changed.");
            case PasswordChange.Invalid i -> throw new ApiError(400, "bad_field", i.reason());
            case PasswordChange.Throttled t -> throw new ApiError(429, "rate_limited",
                    "Too many wrong passwords; try again later.",
                    Map.of("retry_after", Math.max(1, t.retryAfter().plusNanos(999_999_999).toSeconds())));
        }
    }

    void logins(Context ctx) {
        Principal who = loggedIn(ctx);
        ctx.json(Map.of("logins", accounts.logins(who.owner(), ctx.cookie(Gate.COOKIE)).stream().map(l -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("login_id", l.id());
            out.put("created_at", l.createdAt().toString());
            out.put("expires_at", l.expiresAt().toString());
            out.put("current", l.current());
            return out;
        }).toList()));
    }

    /** Ends one of the caller's logins (another browser's, or this one) and the live connections opened with it. */
    void endLogin(Context ctx) {
        Principal who = loggedIn(ctx);
        String id = bodies.read(ctx).string("login_id");
        if (!accounts.endLogin(who.owner(), id)) {
            throw ApiError.notFound("login_not_found", "No such login.");
        }
        streams.endLogins(who.owner(), cookie -> Accounts.loginIdOf(cookie).equals(id));
        ctx.json(Map.of("ok", true));
    }

    private static Principal loggedIn(Context ctx) {
        Principal who = Requests.principal(ctx);
        if (who == Principal.LOCAL) {
            throw new ApiError(409, "needs_login", "This server has no login, so there are no logins or password"
                    + " to manage; start Tether with TETHER_AUTH=on for them.");
        }
        if (!who.ambient()) {
            throw new ApiError(403, "token_cannot_manage_account", "An API token cannot manage the account; log in.");
        }
        return who;
    }
}
