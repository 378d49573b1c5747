package dev.tether;

import dev.tether.account.AccountStore;
import dev.tether.config.CannotStart;
import dev.tether.config.DatabaseUrl;
import dev.tether.config.TetherConfig;
import dev.tether.session.AttachmentStore;
import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.jdbc.SqlAttachmentStore;
import dev.tether.session.InstanceBus;
import dev.tether.session.Instances;
import dev.tether.store.jdbc.AttachmentFiles;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.postgres.PostgresAccountStore;
import dev.tether.store.postgres.PostgresAttachmentBytes;
import dev.tether.store.postgres.PostgresBus;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.postgres.PostgresInstances;
import dev.tether.store.postgres.PostgresSessionStore;
import dev.tether.store.sqlite.DataDirLock;
import dev.tether.store.sqlite.SqliteAccountStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.sqlite.SqliteInstances;
import dev.tether.store.sqlite.SqliteSessionStore;
import java.util.function.UnaryOperator;

/**
 * The stores the settings choose: SQLite in the data dir, or PostgreSQL at {@code TETHER_DATABASE_URL}
 * (attachment bytes in the data dir, or in PostgreSQL, which every instance reads), with the instances sharing them and the bus
 * they wake each other on. Opening takes the data dir's lock first; on PostgreSQL, which several
 * instances may share, the bus's connection then takes this instance's presence (instance
 * {@code instanceId}). Each lock, bus and database is recorded in {@code parts}, which closes them.
 */
record StoreSet(SessionStore sessions, AccountStore accounts, AttachmentStore attachments, Instances instances,
                InstanceBus bus) {

    static StoreSet open(TetherConfig config, Parts parts, String instanceId) {
        return open(config, parts, instanceId, UnaryOperator.identity());
    }

    /** As above, each store's executor as {@code seen} wraps it (the metrics time every call). */
    static StoreSet open(TetherConfig config, Parts parts, String instanceId, UnaryOperator<SqlExecutor> seen) {
        parts.started("data dir lock", DataDirLock.acquire(config.dataDir()));
        return config.database().map(url -> postgres(url, config, parts, instanceId, seen))
                .orElseGet(() -> sqlite(config, parts, seen));
    }

    /** Where the stores are, for the start banner: never with a password. */
    static String describe(TetherConfig config) {
        return config.database().map(url -> "PostgreSQL " + url.shown() + ", attachments in the database")
                .orElse("SQLite " + config.databaseFile());
    }

    private static StoreSet sqlite(TetherConfig config, Parts parts, UnaryOperator<SqlExecutor> seen) {
        Database db = parts.started("database", SqliteDatabase.open(config.databaseFile()));
        return new StoreSet(new SqliteSessionStore(db.executor(), seen), new SqliteAccountStore(db.executor(), seen),
                new SqlAttachmentStore(seen.apply(db.executor()), config.attachmentDir()),
                new SqliteInstances(db.executor()), InstanceBus.NONE);
    }

    private static StoreSet postgres(DatabaseUrl url, TetherConfig config, Parts parts, String instanceId,
                                     UnaryOperator<SqlExecutor> seen) {
        PostgresBus bus = parts.started("instance bus", PostgresBus.open(url, instanceId));
        PostgresDatabase db;
        try {
            db = PostgresDatabase.open(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null));
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new CannotStart("cannot open the database " + url.shown() + ": " + m, e);
        }
        parts.started("database", db);
        bus.sendThrough(db.executor());
        parts.onStop("instance wake-ups", bus::stop); // before the pool they are sent through closes
        return new StoreSet(new PostgresSessionStore(db.executor(), seen), new PostgresAccountStore(db.executor(), seen),
                new SqlAttachmentStore(seen.apply(db.executor()), new PostgresAttachmentBytes(db.executor(),
                        new AttachmentFiles(config.attachmentDir()))), new PostgresInstances(db.executor()),
                bus);
    }
}
