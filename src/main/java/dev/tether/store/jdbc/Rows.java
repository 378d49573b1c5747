package dev.tether.store.jdbc;

import dev.tether.session.Message;
import dev.tether.session.QueuedMessage;
import dev.tether.session.Session;
import dev.tether.session.Turn;
import dev.tether.session.TurnState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Row mappers and parameter binding shared by the SQL stores. */
public final class Rows {
    private Rows() {}

    /** The columns {@link #session} reads, in its order: every query mapped by it selects exactly these. */
    public static final String SESSION_COLUMNS = "id, owner, title, model, pinned, archived, created_at, "
            + "updated_at, last_message_at, active_turn, message_count, turn_count";

    /**
     * A session row selected as {@link #SESSION_COLUMNS}, read by position: by name, the driver
     * built a name map for every result (a tenth of reading the session on each start and end).
     */
    public static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5) != 0,
                rs.getInt(6) != 0, instant(rs, 7), instant(rs, 8), instant(rs, 9), rs.getString(10), rs.getInt(11),
                rs.getInt(12));
    }

    public static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getInt("idx"), rs.getString("role"), rs.getString("content"),
                rs.getString("reasoning"), Message.Mark.fromWire(rs.getString("mark")),
                rs.getString("error"), rs.getString("usage_json"), list(rs.getString("attachments")),
                rs.getString("turn_id"), instant(rs, "created_at"));
    }

    public static Turn turn(ResultSet rs) throws SQLException {
        return new Turn(rs.getString("id"), rs.getString("session_id"), rs.getString("owner"),
                TurnState.fromWire(rs.getString("state")), rs.getString("client_message_id"),
                rs.getInt("user_message_idx"), rs.getString("model"), instant(rs, "started_at"),
                instant(rs, "ended_at"));
    }

    public static QueuedMessage queued(ResultSet rs) throws SQLException {
        return new QueuedMessage(rs.getString("id"), rs.getString("session_id"), rs.getLong("position"),
                rs.getString("content"), rs.getString("model"), rs.getString("client_message_id"),
                list(rs.getString("attachments")), instant(rs, "created_at"));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** Attachment ids are plain tokens without commas, so a comma list is an honest encoding. */
    public static String joined(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    public static List<String> list(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    /** Binds parameters in order; null-safe for strings, numbers, booleans and instants. */
    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            switch (p) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                case Boolean b -> ps.setInt(i + 1, b ? 1 : 0);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                default -> ps.setString(i + 1, p.toString());
            }
        }
    }

    /** Maps a result set row by row. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static <T> List<T> query(java.sql.Connection c, String sql, Mapper<T> mapper, Object... params)
            throws SQLException {
        PreparedStatement ps = prepared(c, sql);
        try {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException | RuntimeException e) {
            forget(c, sql);
            throw e;
        } finally {
            clear(ps);
        }
    }

    public static <T> java.util.Optional<T> one(java.sql.Connection c, String sql, Mapper<T> mapper,
                                                Object... params) throws SQLException {
        List<T> rows = query(c, sql, mapper, params);
        return rows.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rows.getFirst());
    }

    public static int update(java.sql.Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = prepared(c, sql);
        try {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            forget(c, sql);
            throw e;
        } finally {
            clear(ps);
        }
    }

    /** Adds a batch's rows to a statement (bind, then {@code addBatch()}, per row). */
    @FunctionalInterface
    public interface Batch {
        void addRows(PreparedStatement ps) throws SQLException;
    }

    /**
     * The most rows a batch may leave its cached statement with. The driver keeps a statement's batch
     * array at the largest size it ever held and nulls every slot of it after each batch, so once the
     * journal's group commit (thousands of rows) had run on the cached insert, every turn's end
     * (a batch of one or two rows on the same statement) cleared that whole array: 62 % of the
     * single writer's samples in the sustained benchmark (docs/performance.md). A larger batch
     * closes its statement instead, and the next is prepared afresh (once per group commit).
     */
    static final int MAX_CACHED_BATCH = 64;

    /** Runs a batch of one statement, prepared once per connection like every other statement here. */
    public static void batch(java.sql.Connection c, String sql, Batch rows) throws SQLException {
        PreparedStatement ps = prepared(c, sql);
        try {
            rows.addRows(ps);
            if (ps.executeBatch().length > MAX_CACHED_BATCH) {
                forget(c, sql);
            }
        } catch (SQLException | RuntimeException e) {
            forget(c, sql);
            throw e;
        } finally {
            clear(ps);
        }
    }

    /**
     * Statements prepared once per physical connection and kept: preparing was about a fifth of the
     * single writer's time (each start and end runs seven or eight statements). A pool hands out
     * proxies of the same few connections, so the cache is keyed by the connection underneath.
     * The outer map is concurrent (additions and sweeps also lock it); each inner map belongs to
     * one connection, which one thread uses at a time. A statement holds its connection, so a weak map
     * would never let go: closed connections (a pool retires them) are swept out instead, whenever
     * a new one first shows up.
     */
    private static final Map<java.sql.Connection, Map<String, PreparedStatement>> PREPARED =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_PREPARED_PER_CONNECTION = 256;

    private static PreparedStatement prepared(java.sql.Connection c, String sql) throws SQLException {
        java.sql.Connection physical = physical(c);
        Map<String, PreparedStatement> bySql = PREPARED.get(physical);
        if (bySql == null) {
            bySql = cacheFor(physical);
        }
        PreparedStatement ps = bySql.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = physical.prepareStatement(sql);
            bySql.put(sql, ps);
        }
        return ps;
    }

    /** A new connection's cache; first drops the caches of connections closed since. */
    private static Map<String, PreparedStatement> cacheFor(java.sql.Connection physical) {
        synchronized (PREPARED) {
            Map<String, PreparedStatement> bySql = PREPARED.get(physical);
            if (bySql == null) {
                PREPARED.keySet().removeIf(Rows::isClosed);
                bySql = new LinkedHashMap<>(64, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                        if (size() <= MAX_PREPARED_PER_CONNECTION) {
                            return false;
                        }
                        closeQuietly(eldest.getValue());
                        return true;
                    }
                };
                PREPARED.put(physical, bySql);
            }
            return bySql;
        }
    }

    /** The statement cached for this SQL on this connection, if any; for tests. */
    static Optional<PreparedStatement> cached(java.sql.Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> bySql = PREPARED.get(physical(c));
        return Optional.ofNullable(bySql == null ? null : bySql.get(sql));
    }

    /** Whether statements of this (physical) connection are cached; for tests. */
    static boolean caches(java.sql.Connection c) throws SQLException {
        return PREPARED.containsKey(physical(c));
    }

    private static boolean isClosed(java.sql.Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** A statement that failed is closed and prepared afresh next time. */
    private static void forget(java.sql.Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> bySql = PREPARED.get(physical(c));
        PreparedStatement ps = bySql == null ? null : bySql.remove(sql);
        closeQuietly(ps);
    }

    private static java.sql.Connection physical(java.sql.Connection c) throws SQLException {
        return c.isWrapperFor(java.sql.Connection.class) ? c.unwrap(java.sql.Connection.class) : c;
    }

    private static void clear(PreparedStatement ps) {
        try {
            if (!ps.isClosed()) {
                ps.clearParameters();
            }
        } catch (SQLException ignored) {
            // the next use binds every parameter anyway
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        if (ps == null) {
            return;
        }
        try {
            ps.close();
        } catch (SQLException ignored) {
            // a statement we are discarding
        }
    }
}
