package dev.tether;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.account.Accounts;
import dev.tether.config.ConfigException;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.session.AttachmentStore;
import dev.tether.session.SessionLifecycle;
import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.sqlite.SqliteAccountStore;
import dev.tether.store.sqlite.SqliteAttachmentStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.sqlite.SqliteSessionStore;
import dev.tether.turn.JournalFlusher;
import dev.tether.turn.LiveTurns;
import dev.tether.turn.SessionFeed;
import dev.tether.turn.TurnReader;
import dev.tether.turn.TurnRunner;
import dev.tether.web.RequestLimits;
import dev.tether.web.WebServer;
import dev.tether.web.routes.Api;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A running Tether: wiring and start/stop order only. Start: store → lifecycle → runner →
 * recovery (before anything is served) → web. Stop: web → journal → running turns end interrupted →
 * models → database.
 */
public final class Tether implements AutoCloseable {
    private final Database database;
    private final ModelCatalog models;
    private final TurnRunner runner;
    private final JournalFlusher flusher;
    private final WebServer web;
    private final int recovered;

    private Tether(Database database, ModelCatalog models, TurnRunner runner, JournalFlusher flusher, WebServer web,
                   int recovered) {
        this.database = database;
        this.runner = runner;
        this.models = models;
        this.flusher = flusher;
        this.web = web;
        this.recovered = recovered;
    }

    public static Tether start(TetherConfig config, ModelCatalog models) {
        Database database = SqliteDatabase.open(config.databaseFile());
        Accounts accounts = new Accounts(new SqliteAccountStore(database.executor()), Clock.systemUTC());
        try {
            ensureAWayIn(config, accounts);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        SessionStore store = new SqliteSessionStore(database.executor());
        AttachmentStore attachments = new SqliteAttachmentStore(database.executor(), config.attachmentDir());
        LiveTurns live = new LiveTurns();
        SessionFeed feed = new SessionFeed();
        SessionLifecycle lifecycle = new SessionLifecycle(store, feed, Clock.systemUTC());
        JournalFlusher flusher = new JournalFlusher(live, store);
        TurnRunner runner = new TurnRunner(lifecycle, store, attachments, live, models, flusher);
        int recovered = runner.ends().recover();
        ObjectMapper json = WebServer.wireMapper();
        Api api = new Api(config, json, store, attachments, lifecycle, runner, runner.ends(),
                new TurnReader(store, live), live, feed, models, new RequestLimits(Clock.systemUTC()), Instant.now());
        WebServer web = WebServer.start(api, accounts);
        return new Tether(database, models, runner, flusher, web, recovered);
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

    @Override
    public void close() {
        web.close();
        flusher.close();
        runner.ends().interruptAll();
        models.close();
        database.close();
    }
}
