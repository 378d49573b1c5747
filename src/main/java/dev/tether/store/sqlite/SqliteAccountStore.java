package dev.tether.store.sqlite;

import dev.tether.store.jdbc.JdbcExecutor;
import dev.tether.store.jdbc.SqlAccountStore;
import dev.tether.store.jdbc.SqlExecutor;
import java.util.function.UnaryOperator;

/** The accounts in the same SQLite file as the sessions; the single writer decides two creations at once. */
public final class SqliteAccountStore extends SqlAccountStore {
    private static final Names NAMES = Names.of("name = ? COLLATE NOCASE", "name COLLATE NOCASE", "");

    public SqliteAccountStore(JdbcExecutor db) {
        super(db, NAMES);
    }

    /** On {@code db} as {@code seen} wraps it (each call timed, for the metrics); the wrapper must only pass calls on. */
    public SqliteAccountStore(JdbcExecutor db, UnaryOperator<SqlExecutor> seen) {
        super(seen.apply(db), NAMES);
    }
}
