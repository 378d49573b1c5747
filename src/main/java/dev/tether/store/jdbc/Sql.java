package dev.tether.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One connection and the statements prepared on it: what a unit of {@link SqlWork} runs its SQL
 * through. Each statement is prepared once and kept (preparing was about a fifth of the single
 * writer's time: each start and end runs seven or eight statements), at most
 * {@link #MAX_PREPARED} of them, least recently used first out.
 *
 * <p>Threading: owned by whoever owns the connection (the executor's writer, or one of its
 * readers) and used by that one thread only; nothing here is shared.
 */
public final class Sql implements AutoCloseable {

    static final int MAX_PREPARED = 256;

    /**
     * The most rows a batch may leave its cached statement with. The driver keeps a statement's batch
     * array at the largest size it ever held and nulls every slot of it after each batch, so once the
     * journal's group commit (thousands of rows) had run on the cached insert, every turn's end
     * (a batch of one or two rows on the same statement) cleared that whole array, most of the
     * single writer's time under sustained load (docs/performance.md has the profile). A larger batch
     * closes its statement instead, and the next is prepared afresh (once per group commit).
     */
    static final int MAX_CACHED_BATCH = 64;

    private final Connection connection;
    private final Columns columns;
    private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_PREPARED) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    /**
     * Statements go to {@code connection} directly: given a pool's handle, pass the driver's
     * connection underneath, so that executing a statement runs no proxy code and allocates no
     * wrapper of its results.
     */
    public Sql(Connection connection, Columns columns) {
        this.connection = connection;
        this.columns = columns;
    }

    /** The driver's connection, for what a store sets on it around one statement (a time limit). */
    public Connection connection() {
        return connection;
    }

    /** Maps a result set row by row. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Adds a batch's rows to a statement (bind, then {@code addBatch()}, per row). */
    @FunctionalInterface
    public interface Batch {
        void addRows(PreparedStatement ps) throws SQLException;
    }

    public <T> List<T> query(String statement, Mapper<T> mapper, Object... params) throws SQLException {
        PreparedStatement ps = prepared(statement);
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
            forget(statement);
            throw e;
        } finally {
            clear(ps);
        }
    }

    public <T> Optional<T> one(String statement, Mapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = query(statement, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    public int update(String statement, Object... params) throws SQLException {
        PreparedStatement ps = prepared(statement);
        try {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            forget(statement);
            throw e;
        } finally {
            clear(ps);
        }
    }

    /** Runs a batch of one statement, prepared once like every other (unless the batch was large). */
    public void batch(String statement, Batch rows) throws SQLException {
        PreparedStatement ps = prepared(statement);
        try {
            rows.addRows(ps);
            if (ps.executeBatch().length > MAX_CACHED_BATCH) {
                forget(statement);
            }
        } catch (SQLException | RuntimeException e) {
            forget(statement);
            throw e;
        } finally {
            clear(ps);
        }
    }

    /** Binds parameters in order; null-safe for strings, numbers, booleans, bytes and instants (as {@link Columns} stores them). */
    public void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            switch (p) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case Instant t -> columns.setInstant(ps, i + 1, t);
                case Boolean b -> ps.setBoolean(i + 1, b);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                case byte[] bytes -> ps.setBytes(i + 1, bytes);
                default -> columns.setText(ps, i + 1, p.toString());
            }
        }
    }

    /** Whether the driver closed the connection underneath (then it is of no further use). */
    boolean isClosed() throws SQLException {
        return connection.isClosed();
    }

    /** The statement cached for this SQL, if any; for tests. */
    Optional<PreparedStatement> cached(String statement) {
        return Optional.ofNullable(prepared.get(statement));
    }

    /** Closes every cached statement; the connection stays its owner's to close or return. */
    @Override
    public void close() {
        prepared.values().forEach(Sql::closeQuietly);
        prepared.clear();
    }

    private PreparedStatement prepared(String statement) throws SQLException {
        PreparedStatement ps = prepared.get(statement);
        if (ps == null || ps.isClosed()) {
            ps = connection.prepareStatement(statement);
            prepared.put(statement, ps);
        }
        return ps;
    }

    /** A statement that failed (or ran a large batch) is closed and prepared afresh next time. */
    private void forget(String statement) {
        closeQuietly(prepared.remove(statement));
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
