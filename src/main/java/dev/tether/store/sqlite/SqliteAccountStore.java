package dev.tether.store.sqlite;

import dev.tether.store.jdbc.JdbcExecutor;
import dev.tether.store.jdbc.SqlAccountStore;

/** The accounts in the same SQLite file as the sessions; the single writer decides two creations at once. */
public final class SqliteAccountStore extends SqlAccountStore {
    private static final Names NAMES = Names.of("name = ? COLLATE NOCASE", "name COLLATE NOCASE", "");

    public SqliteAccountStore(JdbcExecutor db) {
        super(db, NAMES);
    }
}
