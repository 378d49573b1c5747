package dev.tether.store.sqlite;

import dev.tether.store.jdbc.Columns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Instants as epoch milliseconds in INTEGER columns: SQLite has no time type, and integers compare,
 * sort and index as the instants they stand for. Milliseconds are all the lifecycle keeps. Public
 * for {@code store/migrate}, which reads instants from SQLite through it.
 */
public final class SqliteColumns implements Columns {

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setLong(index, value.toEpochMilli());
    }

    @Override
    public Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
