package dev.tether.store.sqlite;

import dev.tether.session.Fence;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.jdbc.SqlInstances;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Instances on SQLite: one process holds the data dir's lock, so every other instance that still
 * has a lease is dead, however long its lease had to run. Leases are epoch milliseconds of this
 * process's clock (only one process reads them).
 */
public final class SqliteInstances extends SqlInstances {

    public SqliteInstances(SqlExecutor db) {
        super(db);
    }

    @Override
    protected String leaseEnd() {
        return "?";
    }

    @Override
    protected Object leaseParameter(Duration lease) {
        return System.currentTimeMillis() + lease.toMillis();
    }

    @Override
    protected List<Fence> dead(Sql sql, Fence self) throws SQLException {
        return sql.query("SELECT id, epoch FROM instances WHERE id <> ? AND lease_until IS NOT NULL",
                rs -> new Fence(rs.getString(1), rs.getLong(2)), self.instance());
    }
}
