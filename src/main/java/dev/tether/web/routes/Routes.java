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
import dev.tether.web.RequestLimits;
import dev.tether.web.WebServer;
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
    private final SessionRoutes sessions;
    private final ChatRoutes chat;
    private final StreamRoutes streams;
    private final FileRoutes files;
    private final TransferRoutes transfer;
    private final HealthRoutes health;
    private final ToolRoutes tools;

    public Routes(TetherConfig config, Accounts accounts, SessionReads store, AttachmentStore attachments,
                  SessionLifecycle lifecycle, TurnRunner runner, LiveTurns live, SessionFeed feed, ModelCatalog catalog,
                  ToolBox toolBox) {
        TetherConfig.Limits limits = config.limits();
        BodyReader bodies = new BodyReader(json, limits.maxBodyBytes());
        RequestLimits budgets = new RequestLimits(Clock.systemUTC());
        TurnReader reader = new TurnReader(store, live);
        ModelChoice models = new ModelChoice(catalog);
        gate = new Gate(config.security(), accounts);
        account = new AccountRoutes(accounts, gate, bodies, config.security().loginRequired());
        sessions = new SessionRoutes(store, lifecycle, runner.ends(), attachments, models, bodies, json,
                new ToolChoice(toolBox));
        tools = new ToolRoutes(toolBox);
        chat = new ChatRoutes(runner, runner.ends(), reader, attachments, models, budgets, limits, bodies);
        streams = new StreamRoutes(reader, store, feed, budgets, limits.streamsPerUser(), config.heartbeat());
        files = new FileRoutes(store, attachments, budgets, limits);
        transfer = new TransferRoutes(store, lifecycle, models, new BodyReader(json, limits.maxUploadBytes()), json);
        health = new HealthRoutes(catalog, store, live, Instant.now());
    }

    /** The wire's JSON dialect, for Javalin to answer with. */
    public ObjectMapper json() {
        return json;
    }

    /** The door every request passes first (identity, CSRF, security headers). */
    public Gate gate() {
        return gate;
    }

    public void register(RoutesConfig r) {
        r.post("/api/auth/login", account::login);
        r.post("/api/auth/logout", account::logout);
        r.get("/api/auth/me", account::me);
        r.get("/api/admin/users", account::users);
        r.post("/api/admin/users", account::createUser);
        r.post("/api/admin/users/disable", account::disable);
        r.post("/api/admin/users/password", account::resetPassword);
        r.get("/api/tokens", account::tokens);
        r.post("/api/tokens", account::issueToken);
        r.post("/api/tokens/revoke", account::revokeToken);

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
