package dev.tether.store.migrate;

import dev.tether.store.jdbc.Columns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One table as both schemas have it: the same name and columns, each of a kind that says how its
 * value is read from either database, bound into PostgreSQL, and written in the canonical form the
 * checksums are taken over. Rows are read in key order on both sides.
 */
record Table(String name, List<Column> columns, List<String> key) {

    /** A column and its kind. */
    record Column(String name, Kind kind) {}

    /**
     * What a column holds, as a Java value: text ({@link String}), an integer ({@link Long}), a
     * flag ({@link Boolean}: SQLite's 0/1, PostgreSQL's boolean) or an instant ({@link Instant}: how
     * each store keeps one is its {@link Columns}). Null is null in every kind.
     */
    enum Kind {
        TEXT, INTEGER, FLAG, INSTANT;

        Object read(ResultSet rs, int index, Columns columns) throws SQLException {
            return switch (this) {
                case TEXT -> rs.getString(index);
                case INTEGER -> {
                    long v = rs.getLong(index);
                    yield rs.wasNull() ? null : v;
                }
                case FLAG -> {
                    boolean v = rs.getBoolean(index);
                    yield rs.wasNull() ? null : v;
                }
                case INSTANT -> columns.instant(rs, index);
            };
        }

        void bind(PreparedStatement ps, int index, Object value, Columns columns) throws SQLException {
            if (value == null) {
                ps.setNull(index, switch (this) {
                    case TEXT -> Types.VARCHAR;
                    case INTEGER -> Types.BIGINT;
                    case FLAG -> Types.BOOLEAN;
                    case INSTANT -> Types.TIMESTAMP_WITH_TIMEZONE;
                });
                return;
            }
            switch (this) {
                case TEXT -> ps.setString(index, (String) value);
                case INTEGER -> ps.setLong(index, (Long) value);
                case FLAG -> ps.setBoolean(index, (Boolean) value);
                case INSTANT -> columns.setInstant(ps, index, (Instant) value);
            }
        }

        /** The value as text, the same for the same value from either database (never called with null). */
        String canonical(Object value) {
            return this == INSTANT ? Long.toString(((Instant) value).toEpochMilli()) : value.toString();
        }
    }

    static Table of(String name, List<String> key, Column... columns) {
        return new Table(name, List.of(columns), key);
    }

    static Column text(String name) {
        return new Column(name, Kind.TEXT);
    }

    static Column integer(String name) {
        return new Column(name, Kind.INTEGER);
    }

    static Column flag(String name) {
        return new Column(name, Kind.FLAG);
    }

    static Column instant(String name) {
        return new Column(name, Kind.INSTANT);
    }

    String columnList() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /**
     * The rows in key order. {@code textOrder} is appended to each text key column: PostgreSQL
     * orders text by the database's collation, SQLite by its bytes, so PostgreSQL is asked for
     * {@code COLLATE "C"} (byte order, which for UTF-8 is SQLite's order too).
     */
    String select(String textOrder) {
        String order = key.stream().map(k -> kindOf(k) == Kind.TEXT ? k + textOrder : k).collect(Collectors.joining(", "));
        return "SELECT " + columnList() + " FROM " + name + " ORDER BY " + order;
    }

    /**
     * The insert into PostgreSQL. OVERRIDING SYSTEM VALUE keeps the values of identity columns
     * (turns.journal_key, which the journal rows refer to) and changes nothing for other tables.
     */
    String insert() {
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(","));
        return "INSERT INTO " + name + " (" + columnList() + ") OVERRIDING SYSTEM VALUE VALUES (" + marks + ")";
    }

    private Kind kindOf(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow().kind();
    }
}
