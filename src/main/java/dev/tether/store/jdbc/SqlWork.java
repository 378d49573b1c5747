package dev.tether.store.jdbc;

import java.sql.SQLException;

/** A unit of JDBC work, run on a connection the executor chooses through that connection's {@link Sql}. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Sql sql) throws SQLException;
}
