package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs JDBC on a few platform threads for a database that takes concurrent writers (a server
 * database), where {@link JdbcExecutor}'s single writer would only queue what the database can do
 * side by side. Each call runs on whichever thread is free, each thread holding one pooled
 * connection with its statements ({@link Sql}): a write is one transaction of its own, committed
 * before the caller returns; a read runs in autocommit; a snapshot is one read-only REPEATABLE READ
 * transaction. Isolation beyond that (locking the rows a write depends on) is the store's SQL.
 *
 * <p>Busy JDBC never runs on virtual threads: they share the few carriers, and blocking them in the
 * driver starved a 2-core machine (see {@link JdbcExecutor}).
 *
 * <p>Threading: {@code calls} is the hand-off queue; each connection and its statements are confined
 * to the thread that owns it; everything else is immutable.
 */
public final class ConcurrentJdbcExecutor implements SqlExecutor, AutoCloseable {

    /** A write the database rolled back for a conflict (deadlock, serialisation) is run again, this often at most. */
    static final int ATTEMPTS = 3;

    private final Columns columns;
    private final ConnectionThreads threads;

    /** Starts {@code threadCount} threads named {@code name-N}; the pool should hold as many connections. */
    public ConcurrentJdbcExecutor(HikariDataSource dataSource, int threadCount, String name, Columns columns) {
        this.columns = columns;
        this.threads = new ConnectionThreads(dataSource, columns, threadCount, name + "-", "database call failed");
    }

    /** How this database's columns hold instants (see {@link Rows}). */
    @Override
    public Columns columns() {
        return columns;
    }

    /**
     * Runs {@code work} as one transaction and returns after it committed; if it throws, nothing of
     * it is kept. The database may roll a transaction back for a conflict with another (SQLSTATE class
     * 40: deadlock, serialisation failure); then {@code work} runs again from the start, so it must
     * do nothing outside the database that it could not do twice.
     */
    @Override
    public <T> T write(SqlWork<T> work) {
        return threads.call(own -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return inTransaction(own, work);
                } catch (SQLException | RuntimeException e) {
                    if (attempt >= ATTEMPTS || !isConflict(e)) {
                        throw e;
                    }
                }
            }
        });
    }

    /** Runs {@code work} in autocommit: each statement sees what was committed when it ran. */
    @Override
    public <T> T read(SqlWork<T> work) {
        return threads.call(own -> work.run(own.sql()));
    }

    /** Runs {@code work} in one read-only REPEATABLE READ transaction: every statement sees the same commit. */
    @Override
    public <T> T snapshot(SqlWork<T> work) {
        return threads.call(own -> inTransaction(own, sql -> {
            sql.update("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return work.run(sql);
        }));
    }

    private static <T> T inTransaction(OwnedConnection own, SqlWork<T> work) throws SQLException {
        Sql sql = own.sql();
        Connection c = own.transactions();
        c.setAutoCommit(false);
        try {
            T value = work.run(sql);
            c.commit();
            return value;
        } catch (SQLException | RuntimeException | Error e) {
            rollBack(own, c);
            throw e;
        } finally {
            try {
                if (!c.isClosed()) {
                    c.setAutoCommit(true); // as the pool hands connections out
                }
            } catch (SQLException e) {
                own.abandon();
            }
        }
    }

    /** A connection that cannot even roll back is given up (closing it rolls back whatever it held). */
    private static void rollBack(OwnedConnection own, Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            own.abandon();
        }
    }

    /** Whether {@code e} (or what it wraps) is the database rolling the transaction back for a conflict. */
    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    /** Stops taking calls, lets the threads finish what is queued, then fails what came too late. */
    @Override
    public void close() {
        threads.close();
    }
}
