package dev.tether.store.sqlite;

import dev.tether.store.jdbc.JdbcExecutor;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.jdbc.SqlRecords;
import dev.tether.store.jdbc.SqlSessionStore;
import java.util.function.UnaryOperator;

/**
 * The sessions in one SQLite file. Reads go to the reader threads; every write is one transaction
 * on the single writer thread, which serialises the lifecycle's steps ({@link SqliteRecords}).
 */
public final class SqliteSessionStore extends SqlSessionStore {

    public SqliteSessionStore(JdbcExecutor db) {
        super(db);
    }

    /** On {@code db} as {@code seen} wraps it (each call timed, for the metrics); the wrapper must only pass calls on. */
    public SqliteSessionStore(JdbcExecutor db, UnaryOperator<SqlExecutor> seen) {
        super(seen.apply(db));
    }

    @Override
    protected SqlRecords records(Sql sql) {
        return new SqliteRecords(sql, rows);
    }

    @Override
    public String kind() {
        return "sqlite";
    }
}
