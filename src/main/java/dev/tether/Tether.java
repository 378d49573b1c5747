package dev.tether;

import dev.tether.account.Accounts;
import dev.tether.config.CannotStart;
import dev.tether.config.ConfigException;
import dev.tether.config.TetherConfig;
import dev.tether.metrics.Metrics;
import dev.tether.model.ModelCatalog;
import dev.tether.session.AttachmentStore;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.turn.InstanceLease;
import dev.tether.turn.JournalFlusher;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.ProviderText;
import dev.tether.turn.RemoteTurns;
import dev.tether.turn.TurnReader;
import dev.tether.tool.McpConfig;
import dev.tether.tool.ToolBox;
import dev.tether.turn.TurnRunner;
import dev.tether.turn.Wakeups;
import dev.tether.web.sse.SessionRelay;
import dev.tether.web.WebServer;
import dev.tether.web.routes.Routes;
import dev.tether.web.sse.SessionFeed;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A running Tether: wiring and start/stop order only. Start: data dir lock → store → (on PostgreSQL,
 * the instance bus, holding this instance's presence) ({@link StoreSet}) → instance lease → journal
 * → runner → takeover of dead instances' turns (before anything is served) → web. Each part is
 * recorded in {@link Parts} as it starts; if a later step fails, what had started stops in reverse
 * order before the failure goes on. Stop is the same unwinding: web → running turns end interrupted
 * → lease given up → journal → bus → database → lock → models.
 */
public final class Tether implements AutoCloseable {
    private final Parts parts;
    private final WebServer web;
    private final int recovered;

    private Tether(Parts parts, WebServer web, int recovered) {
        this.parts = parts;
        this.web = web;
        this.recovered = recovered;
    }

    /**
     * Starts Tether on the config's data dir, which it locks first; on PostgreSQL as one instance
     * among any others sharing the database. The models are this Tether's from here on: they close
     * when it closes or fails to start.
     *
     * @throws CannotStart the data dir is another Tether's, the database cannot be used, or the
     *     port is taken
     * @throws ConfigException login is required and there is no way in
     */
    public static Tether start(TetherConfig config, ModelCatalog models) {
        Parts parts = new Parts();
        parts.started("models", models);
        try {
            return wire(config, models, parts);
        } catch (RuntimeException e) {
            throw parts.unwind(e);
        }
    }

    /** The wiring, in start order; each part that runs something is recorded in {@code parts} as it starts. */
    private static Tether wire(TetherConfig config, ModelCatalog models, Parts parts) {
        Metrics metrics = parts.started("metrics", new Metrics());
        String instanceId = UUID.randomUUID().toString();
        StoreSet stores = StoreSet.open(config, parts, instanceId, metrics::timed);
        Accounts accounts = new Accounts(stores.accounts(), Clock.systemUTC());
        ensureAWayIn(config, accounts);
        SessionStore store = stores.sessions();
        AttachmentStore attachments = stores.attachments();
        LiveTurns live = new LiveTurns();
        SessionFeed feed = new SessionFeed();
        SessionRelay relay = new SessionRelay(feed, stores.bus(), store);
        InstanceLease lease = new InstanceLease(stores.instances(), instanceId,
                "pid " + ProcessHandle.current().pid() + " port " + config.port(), config.instanceLease());
        SessionLifecycle lifecycle = new SessionLifecycle(store, relay, Clock.systemUTC(), lease::fence);
        metrics.watchServer(live, store);
        JournalFlusher flusher = parts.started("journal flusher",
                new JournalFlusher(live, store, lease::lookNow, metrics.turns()));
        parts.started("instance lease", lease);
        McpConfig mcp = config.tools().mcpConfig().map(McpConfig::read).orElse(McpConfig.none());
        ToolBox tools = parts.started("MCP servers", ToolBox.start(mcp, config.tools().maxResultChars(), true));
        TurnRunner runner = new TurnRunner(lifecycle, store, attachments, live, models, flusher,
                providerText(config, accounts), metrics.turns(), tools, config.tools().maxSteps());
        parts.onStop("running turns", runner.ends()::interruptAll);
        RemoteTurns remote = new RemoteTurns();
        stores.bus().listen(new Wakeups(remote, live, runner.ends(), store, relay));
        int recovered = lease.start(runner.ends());
        TurnReader reader = new TurnReader(store, live, remote);
        WebServer web = parts.started("web server", WebServer.start(config,
                new Routes(config, accounts, store, attachments, lifecycle, runner, live, reader, feed, models,
                        metrics.web(), tools)));
        return new Tether(parts, web, recovered);
    }

    /**
     * The secrets and addresses provider errors must not show: the API key to no one, the provider's
     * and proxy's addresses to anyone but an admin (everyone is, without login).
     */
    static ProviderText providerText(TetherConfig config, Accounts accounts) {
        if (config.provider().isEmpty()) {
            return ProviderText.NONE;
        }
        TetherConfig.Provider p = config.provider().get();
        List<String> secrets = new java.util.ArrayList<>();
        p.apiKey().ifPresent(secrets::add);
        p.proxy().flatMap(TetherConfig.Proxy::authorization).ifPresent(secrets::add);
        List<String> addresses = new java.util.ArrayList<>(List.of(p.baseUrl()));
        java.net.URI base = java.net.URI.create(p.baseUrl());
        if (base.getRawAuthority() != null) {
            addresses.add(base.getRawAuthority());
        }
        p.proxy().ifPresent(proxy -> addresses.add(proxy.toString().replace(" (with credentials)", "")));
        boolean everyoneIsAdmin = !config.security().loginRequired();
        return new ProviderText(secrets, addresses, owner -> everyoneIsAdmin
                || accounts.user(owner).map(u -> u.admin()).orElse(false));
    }

    /**
     * A server that requires login must have a way in: an existing user, or the first admin from
     * TETHER_ADMIN_USER / TETHER_ADMIN_PASSWORD. Otherwise it refuses to start and says how.
     */
    static void ensureAWayIn(TetherConfig config, Accounts accounts) {
        if (!config.security().loginRequired() || accounts.hasUsers()) {
            return;
        }
        String password = config.security().adminPassword().orElseThrow(() -> new ConfigException(List.of(
                "Login is required (Tether listens on " + config.host() + " or TETHER_AUTH=on) but there is no user yet."
                        + " Create the first admin with `bin/tether user add --admin NAME`, or set TETHER_ADMIN_PASSWORD"
                        + " (and optionally TETHER_ADMIN_USER, default admin) for this start.")));
        String name = config.security().adminName().orElse("admin");
        if (!(accounts.createUser(name, password, true) instanceof Accounts.CreateOutcome.Created)) {
            throw new ConfigException(List.of("TETHER_ADMIN_PASSWORD was given but the admin '" + name
                    + "' could not be created: use a name of letters and digits and a password of 10+ characters."));
        }
    }

    public int port() {
        return web.port();
    }

    public int recovered() {
        return recovered;
    }

    /** Stops every part, last started first; a second call does nothing. */
    @Override
    public void close() {
        parts.stopAll();
    }
}
