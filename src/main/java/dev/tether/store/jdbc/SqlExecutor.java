package dev.tether.store.jdbc;

/**
 * Where a SQL store runs its statements: always on platform threads, each call one transaction (or
 * one autocommit read), returning only after it committed. {@link JdbcExecutor} is SQLite's single
 * writer with group commit; {@link ConcurrentJdbcExecutor} runs transactions side by side for a
 * database that takes concurrent writers.
 */
public interface SqlExecutor {

    /** How this database holds instants. */
    Columns columns();

    /** Runs {@code work} in one write transaction, returning after it committed. */
    <T> T write(SqlWork<T> work);

    /** Runs {@code work} as autocommit reads. */
    <T> T read(SqlWork<T> work);

    /** Runs {@code work} in one read-only transaction: every statement sees the same commit. */
    <T> T snapshot(SqlWork<T> work);
}
