package dev.tether;

import dev.tether.account.AccountStore;
import dev.tether.config.CannotStart;
import dev.tether.config.DatabaseUrl;
import dev.tether.config.TetherConfig;
import dev.tether.session.AttachmentStore;
import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.jdbc.SqlAttachmentStore;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.postgres.DatabaseOwnerLock;
import dev.tether.store.postgres.PostgresAccountStore;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.postgres.PostgresSessionStore;
import dev.tether.store.sqlite.DataDirLock;
import dev.tether.store.sqlite.SqliteAccountStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.sqlite.SqliteSessionStore;
import java.util.function.UnaryOperator;

/**
 * The stores the settings choose: SQLite in the data dir, or PostgreSQL at {@code TETHER_DATABASE_URL}
 * (attachment bytes stay in the data dir either way). Opening takes the locks first (the data dir's,
 * and on PostgreSQL the database's owner lock) so that nothing reads or writes a store this process
 * does not own; each lock and the database are recorded in {@code parts}, which closes them.
 */
record StoreSet(SessionStore sessions, AccountStore accounts, AttachmentStore attachments) {

    static StoreSet open(TetherConfig config, Parts parts) {
        return open(config, parts, UnaryOperator.identity());
    }

    /** As above, each store's executor as {@code seen} wraps it (the metrics time every call). */
    static StoreSet open(TetherConfig config, Parts parts, UnaryOperator<SqlExecutor> seen) {
        parts.started("data dir lock", DataDirLock.acquire(config.dataDir()));
        return config.database().map(url -> postgres(url, config, parts, seen))
                .orElseGet(() -> sqlite(config, parts, seen));
    }

    /** Where the stores are, for the start banner: never with a password. */
    static String describe(TetherConfig config) {
        return config.database().map(url -> "PostgreSQL " + url.shown() + ", attachments in " + config.attachmentDir())
                .orElse("SQLite " + config.databaseFile());
    }

    private static StoreSet sqlite(TetherConfig config, Parts parts, UnaryOperator<SqlExecutor> seen) {
        Database db = parts.started("database", SqliteDatabase.open(config.databaseFile()));
        return new StoreSet(new SqliteSessionStore(db.executor(), seen), new SqliteAccountStore(db.executor(), seen),
                new SqlAttachmentStore(seen.apply(db.executor()), config.attachmentDir()));
    }

    private static StoreSet postgres(DatabaseUrl url, TetherConfig config, Parts parts, UnaryOperator<SqlExecutor> seen) {
        parts.started("database owner lock", DatabaseOwnerLock.acquire(url));
        PostgresDatabase db;
        try {
            db = PostgresDatabase.open(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null));
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new CannotStart("cannot open the database " + url.shown() + ": " + m, e);
        }
        parts.started("database", db);
        return new StoreSet(new PostgresSessionStore(db.executor(), seen), new PostgresAccountStore(db.executor(), seen),
                new SqlAttachmentStore(seen.apply(db.executor()), config.attachmentDir()));
    }
}
