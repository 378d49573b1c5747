package dev.tether.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work run on a connection the executor chooses. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
