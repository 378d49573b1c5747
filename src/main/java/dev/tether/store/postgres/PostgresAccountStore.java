package dev.tether.store.postgres;

import dev.tether.store.jdbc.ConcurrentJdbcExecutor;
import dev.tether.store.jdbc.SqlAccountStore;
import dev.tether.store.jdbc.SqlExecutor;
import java.util.function.UnaryOperator;

/**
 * The accounts in the same PostgreSQL database as the sessions. Names compare as {@code lower(name)}
 * (its unique index decides two creations at once, which run side by side here).
 */
public final class PostgresAccountStore extends SqlAccountStore {
    private static final Names NAMES = Names.of("lower(name) = lower(?)", "lower(name), name", " ON CONFLICT DO NOTHING");

    public PostgresAccountStore(ConcurrentJdbcExecutor db) {
        super(db, NAMES);
    }

    /** On {@code db} as {@code seen} wraps it (each call timed, for the metrics); the wrapper must only pass calls on. */
    public PostgresAccountStore(ConcurrentJdbcExecutor db, UnaryOperator<SqlExecutor> seen) {
        super(seen.apply(db), NAMES);
    }
}
