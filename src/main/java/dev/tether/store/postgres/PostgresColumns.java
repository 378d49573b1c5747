package dev.tether.store.postgres;

import dev.tether.store.jdbc.Columns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants in {@code timestamptz} columns, through the driver's {@link OffsetDateTime} mapping (JDBC
 * 4.2 has no {@link Instant} binding). Stored to the millisecond, as on SQLite: the lifecycle stamps
 * whole milliseconds, and an instant read back must equal the one a store on either database wrote.
 * Text: PostgreSQL's cannot hold U+0000, which JSON (a user's message) and a provider's reply may
 * carry; it is stored as U+FFFD, the replacement character, rather than failing the write (and with
 * it a turn's ending).
 * Public for {@code store/migrate}, which copies instants from SQLite through these two.
 */
public final class PostgresColumns implements Columns {

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setObject(index, value.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
    }

    @Override
    public void setText(PreparedStatement ps, int index, String value) throws SQLException {
        ps.setString(index, value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD'));
    }

    @Override
    public Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
