package dev.tether.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * How a database's schema stores the values JDBC has no one portable type for: instants, and text
 * the database cannot hold as it is. Each store
 * supplies its own (SQLite has no time type; a server database has {@code timestamptz}), and
 * {@link Sql} and {@link Rows} use it for every parameter and column, so no shared code assumes one.
 * Implementations are stateless and called on the writer's path for every instant: no lookups, no
 * reflection.
 */
public interface Columns {

    /** Binds {@code value} (never null) as parameter {@code index} (1-based). */
    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** The instant in column {@code column} (1-based) of the current row, or null if the column is null. */
    Instant instant(ResultSet rs, int column) throws SQLException;

    /** Binds {@code value} (never null) as text parameter {@code index} (1-based). */
    default void setText(PreparedStatement ps, int index, String value) throws SQLException {
        ps.setString(index, value);
    }
}
