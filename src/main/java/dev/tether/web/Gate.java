package dev.tether.web;

import dev.tether.account.AccountStore;
import dev.tether.account.Accounts;
import dev.tether.account.User;
import dev.tether.config.AddressRange;
import dev.tether.config.Loopback;
import dev.tether.config.TetherConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;
import java.util.Set;

/**
 * The door every request passes: security headers, who the caller is (login cookie, API token, or
 * the local user when no login is required), and proof that a state-changing request that relies
 * on a cookie comes from Tether's own pages (Origin / Sec-Fetch-Site, plus SameSite cookies).
 */
public final class Gate {
    public static final String COOKIE = "tether_login";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    // Compiled once: String.matches compiled it on every request.
    private static final java.util.regex.Pattern ASSET =
            java.util.regex.Pattern.compile("/[A-Za-z0-9/_.-]*\\.(js|mjs|css|svg|png|ico|woff2?)");
    /** Open to anyone; /metrics decides for itself (loopback, or an admin's token: HealthRoutes). */
    private static final Set<String> OPEN_PATHS = Set.of("/api/auth/login", "/api/auth/me", "/health", "/metrics");

    private final TetherConfig.Security security;
    private final Accounts accounts;

    public Gate(TetherConfig.Security security, Accounts accounts) {
        this.security = security;
        this.accounts = accounts;
    }

    /** Runs before every request. */
    public void check(Context ctx) {
        headers(ctx);
        if (!security.loginRequired() && !Loopback.isLoopbackAuthority(ctx.host())) {
            // Without login, only loopback names may reach us: a DNS-rebinding page (evil.example
            // resolving to 127.0.0.1) would otherwise be "same origin" and read every conversation.
            throw new ApiError(403, "bad_host", "This Tether answers only on localhost; set TETHER_AUTH=on to serve other names.");
        }
        if (isAsset(ctx.path()) && SAFE_METHODS.contains(ctx.method().name())) {
            return; // the app's code and styles: no identity needed, so no lookup per file
        }
        Optional<Principal> who = identify(ctx);
        who.ifPresent(p -> ctx.attribute(Requests.PRINCIPAL, p));
        boolean ambient = who.map(Principal::ambient).orElse(true);
        if (!SAFE_METHODS.contains(ctx.method().name()) && ambient) {
            requireSameOrigin(ctx, who.isPresent() && who.get() != Principal.LOCAL);
        }
        if (!SAFE_METHODS.contains(ctx.method().name()) && who.isPresent() && who.get().readOnly()) {
            throw new ApiError(403, "read_only_token", "This API token may only read; nothing was changed.");
        }
        String path = ctx.path();
        if (who.isEmpty() && !OPEN_PATHS.contains(path) && !isAsset(path)) {
            if (path.startsWith("/api/")) {
                throw new ApiError(401, "unauthenticated", "Log in first.");
            }
            if (path.equals("/") || path.endsWith(".html") && !path.equals("/login.html")) {
                ctx.redirect("/login.html");
                ctx.skipRemainingHandlers();
            }
        }
    }

    /** The browser app's code and styles hold no user data (its api/ folder shares the /api/ prefix). */
    static boolean isAsset(String path) {
        return ASSET.matcher(path).matches();
    }

    /** Tether uses none of the browser's powerful features: no page of this origin (or one it frames) may ask for them. */
    static final String PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=(),"
            + " accelerometer=(), gyroscope=(), magnetometer=()";

    /** On every answer, Jetty's own error pages included ({@link SecureErrorPages}). */
    static final java.util.Map<String, String> SECURITY_HEADERS = java.util.Map.of(
            "Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Permissions-Policy", PERMISSIONS);

    private static void headers(Context ctx) {
        SECURITY_HEADERS.forEach(ctx::header);
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store"); // answers hold users' conversations: no cache may keep them
        }
    }

    private Optional<Principal> identify(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            AccountStore.TokenUser holder = accounts.userForToken(auth.substring(7).trim())
                    .orElseThrow(() -> new ApiError(401, "bad_token", "The API token is unknown, expired or revoked."));
            User user = holder.user();
            return Optional.of(new Principal(user.id(), user.name(), user.admin(), false, holder.readOnly()));
        }
        if (!security.loginRequired()) {
            return Optional.of(Principal.LOCAL);
        }
        return accounts.userForLogin(ctx.cookie(COOKIE)).map(u -> new Principal(u.id(), u.name(), u.admin(), true));
    }

    /**
     * Browsers send Origin (or at least Sec-Fetch-Site) on every POST; another site's is refused, and
     * so is {@code Sec-Fetch-Site: none} without an Origin (a browser says "none" only for what the
     * user started, never for a page's POST). A request with neither header comes from no current
     * browser: it is refused when it carries a login cookie ({@code cookie}), which only a browser
     * (or someone who copied the cookie, and could use an API token instead) sends; without a
     * login (local mode, the login form) it is let through, since curl and scripts send neither and
     * the local user cannot own a token.
     */
    private void requireSameOrigin(Context ctx, boolean cookie) {
        String origin = ctx.header("Origin");
        if (origin != null) {
            if (!origin.equals(ownOrigin(ctx))) {
                throw new ApiError(403, "cross_origin", "This request came from another site and was refused.");
            }
            return;
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            throw new ApiError(403, "cross_origin", "This request came from another site and was refused.");
        }
        if (site == null && cookie) {
            throw new ApiError(403, "origin_required", "A request with a login cookie must come from Tether's"
                    + " own page (with an Origin header); scripts should use an API token.");
        }
    }

    String ownOrigin(Context ctx) {
        return (isSecure(ctx) ? "https" : "http") + "://" + ctx.host();
    }

    /** TLS here, or X-Forwarded-Proto: https from a configured trusted proxy. */
    public boolean isSecure(Context ctx) {
        if (ctx.req().isSecure()) {
            return true;
        }
        String proto = ctx.header("X-Forwarded-Proto");
        return proto != null && proto.equalsIgnoreCase("https") && security.isTrustedProxy(ctx.ip());
    }

    /**
     * The address the request came from: the peer's, or, when the peer is a trusted proxy, the
     * nearest address in {@code X-Forwarded-For} that is not itself a trusted proxy (entries further
     * left were written by the client and prove nothing). Without this, everyone behind the proxy
     * shared one login budget, and 20 failures from anyone locked the real admin out.
     */
    public String clientAddress(Context ctx) {
        String peer = ctx.ip();
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || !security.isTrustedProxy(peer)) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            Optional<AddressRange> address = hop.contains("/") ? Optional.empty() : AddressRange.parse(hop);
            if (address.isEmpty()) {
                return peer; // garbage from the proxy: count it against the proxy, never against a made-up key
            }
            if (!security.isTrustedProxy(hop)) {
                return address.get().network().getHostAddress();
            }
        }
        return peer;
    }

    public Cookie loginCookie(Context ctx, String secret, int maxAgeSeconds) {
        return new Cookie(COOKIE, secret, "/", maxAgeSeconds, isSecure(ctx), true, null, SameSite.LAX);
    }
}
