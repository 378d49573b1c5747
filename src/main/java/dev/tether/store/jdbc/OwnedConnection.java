package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection borrowed from the pool and kept by one thread of the executor (its writer, or one of
 * its readers) with the statements prepared on it, so that each statement is prepared once per
 * connection without any shared registry of connections. Borrowed on first use; a connection that
 * failed, or that the driver closed, is taken out of the pool for good and the next use borrows
 * another.
 *
 * <p>Threading: confined to the owning thread.
 */
final class OwnedConnection implements AutoCloseable {
    private final HikariDataSource pool;
    private final Columns columns;
    private Connection pooled; // the pool's handle: transactions go through it, and closing it returns the connection
    private Sql sql;

    OwnedConnection(HikariDataSource pool, Columns columns) {
        this.pool = pool;
        this.columns = columns;
    }

    /** The connection's SQL, borrowing a connection first if this owner holds none that is open. */
    Sql sql() throws SQLException {
        if (sql != null && !sql.isClosed()) {
            return sql;
        }
        if (sql != null) {
            abandon();
        }
        Connection borrowed = pool.getConnection();
        Connection driver = borrowed.isWrapperFor(Connection.class) ? borrowed.unwrap(Connection.class) : borrowed;
        pooled = borrowed;
        sql = new Sql(driver, columns);
        return sql;
    }

    /** The pool's handle of the connection {@link #sql()} returned, for beginning and ending transactions. */
    Connection transactions() {
        return pooled;
    }

    /**
     * Takes the connection out of the pool and closes it instead of returning it: whatever it left
     * uncommitted is rolled back by that, and no one is handed a connection in an unknown state. The
     * statements run on the driver's connection, so the pool never sees their failures and would not
     * evict it by itself.
     */
    void abandon() {
        if (sql != null) {
            sql.close();
            pool.evictConnection(pooled); // closes it: the handle must not be closed (returned) after this
            sql = null;
            pooled = null;
        }
    }

    /** Closes the statements and returns the connection to the pool. */
    @Override
    public void close() {
        if (sql != null) {
            sql.close();
            try {
                pooled.close();
            } catch (SQLException ignored) {
                // the pool discards a connection it cannot take back
            }
            sql = null;
            pooled = null;
        }
    }
}
