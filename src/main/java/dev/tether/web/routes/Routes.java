package dev.tether.web.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.account.Accounts;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.session.AttachmentStore;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionReads;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.TurnReader;
import dev.tether.tool.ToolBox;
import dev.tether.turn.TurnRunner;
import dev.tether.web.ApiError;
import dev.tether.web.BodyReader;
import dev.tether.web.Gate;
import dev.tether.web.OpenStreams;
import dev.tether.web.Quota;
import dev.tether.web.RequestLimits;
import dev.tether.web.SearchPermits;
import dev.tether.web.WebServer;
import dev.tether.web.WebWatch;
import dev.tether.web.sse.SessionFeed;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Instant;

/**
 * Every route of the API (docs/api.md) in one table, and the one place where each group of
 * handlers is given what it uses and nothing else. Reads go through {@link SessionReads}; a change
 * goes through the lifecycle, the runner or the door that ends turns ({@code ArchitectureTest}).
 */
public final class Routes {
    private final ObjectMapper json = WebServer.wireMapper();
    private final Gate gate;
    private final AccountRoutes account;
    private final ProfileRoutes profile;
    private final SessionRoutes sessions;
    private final ChatRoutes chat;
    private final StreamRoutes streams;
    private final FileRoutes files;
    private final TransferRoutes transfer;
    private final HealthRoutes health;
    private final WebWatch watch;
    private final ToolRoutes tools;

    public Routes(TetherConfig config, Accounts accounts, SessionReads store, AttachmentStore attachments,
                  SessionLifecycle lifecycle, TurnRunner runner, LiveTurns live, TurnReader reader, SessionFeed feed,
                  ModelCatalog catalog) {
        this(config, accounts, store, attachments, lifecycle, runner, live, reader, feed, catalog, WebWatch.NONE,
                ToolBox.none());
    }

    /** {@code watch} hears of streams, relays and refused logins, and serves /metrics; {@code toolBox}: the MCP tools. */
    public Routes(TetherConfig config, Accounts accounts, SessionReads store, AttachmentStore attachments,
                  SessionLifecycle lifecycle, TurnRunner runner, LiveTurns live, TurnReader reader, SessionFeed feed,
                  ModelCatalog catalog, WebWatch watch, ToolBox toolBox) {
        this.watch = watch;
        TetherConfig.Limits limits = config.limits();
        BodyReader bodies = new BodyReader(json, limits.maxBodyBytes());
        RequestLimits budgets = new RequestLimits(Clock.systemUTC());
        ModelChoice models = new ModelChoice(catalog);
        gate = new Gate(config.security(), accounts);
        OpenStreams open = new OpenStreams(budgets, limits.streamsPerUser());
        account = new AccountRoutes(accounts, gate, bodies, config.security().loginRequired(), watch, open);
        profile = new ProfileRoutes(accounts, gate, bodies, open);
        Quota quota = new Quota(store, limits.quotaBytes());
        SearchPermits searches = new SearchPermits(limits.searchesAtOnce(), limits.searchTimeout());
        sessions = new SessionRoutes(store, lifecycle, runner.ends(), attachments, models, bodies, json, searches,
                limits.searchTimeout(), new ToolChoice(toolBox));
        tools = new ToolRoutes(toolBox);
        chat = new ChatRoutes(runner, runner.ends(), reader, attachments, models, budgets, limits, bodies, quota);
        streams = new StreamRoutes(reader, store, feed, open, config.heartbeat(), watch);
        files = new FileRoutes(store, attachments, budgets, limits, quota);
        transfer = new TransferRoutes(store, lifecycle, models, new BodyReader(json, limits.maxUploadBytes()), json,
                budgets, limits, quota);
        health = new HealthRoutes(catalog, store, live, Instant.now(), limits.maxUploadBytes(), watch);
    }

    /** The wire's JSON dialect, for Javalin to answer with. */
    public ObjectMapper json() {
        return json;
    }

    /** The door every request passes first (identity, CSRF, security headers). */
    public Gate gate() {
        return gate;
    }

    /** Who watches the server: told of Jetty when it is built ({@link WebServer}). */
    public WebWatch watch() {
        return watch;
    }

    public void register(RoutesConfig r) {
        r.post("/api/auth/login", account::login);
        r.post("/api/auth/logout", account::logout);
        r.get("/api/auth/me", account::me);
        r.post("/api/auth/password", profile::changePassword);
        r.get("/api/auth/logins", profile::logins);
        r.post("/api/auth/logins/end", profile::endLogin);
        r.get("/api/admin/users", account::users);
        r.post("/api/admin/users", account::createUser);
        r.post("/api/admin/users/disable", account::disable);
        r.post("/api/admin/users/password", account::resetPassword);
        r.get("/api/tokens", account::tokens);
        r.post("/api/tokens", account::issueToken);
        r.post("/api/tokens/revoke", account::revokeToken);
        r.get("/api/preferences", account::preferences);
        r.post("/api/preferences", account::updatePreferences);

        r.post("/api/session/new", sessions::create);
        r.get("/api/session", sessions::read);
        r.get("/api/sessions", sessions::list);
        r.post("/api/session/update", sessions::update);
        r.post("/api/session/rename", sessions::rename);
        r.post("/api/session/delete", sessions::delete);

        r.post("/api/chat/start", chat::start);
        r.post("/api/chat/cancel", chat::cancel);
        r.get("/api/chat/cancel", ctx -> { // a cross-site <img> could send this GET: it changes nothing
            ctx.header("Allow", "POST");
            throw new ApiError(405, "method_not_allowed",
                    "Cancel with POST /api/chat/cancel and {\"stream_id\": ...}; a GET changes nothing.");
        });
        r.get("/api/chat/stream/status", chat::status);

        r.get("/api/chat/stream", streams::turnStream);
        r.get("/api/session/stream", streams::sessionStream);
        r.get("/api/sessions/events", streams::sidebarStream);
        r.get("/api/events", streams::sharedStream);

        r.post("/api/upload", files::upload);
        r.get("/api/attachment", files::attachment);
        r.get("/api/session/export", transfer::export);
        r.post("/api/session/import", transfer::importSession);

        r.get("/api/models", health::models);
        r.get("/api/tools", tools::list);
        r.get("/health", health::health);
        r.get("/metrics", health::metrics);
    }
}
