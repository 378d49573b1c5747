package dev.tether.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection's statements: each prepared once and reused, at most {@link Sql#MAX_PREPARED} of them,
 * dropped after a failure or a large batch; instants bound and read as the store's {@link Columns} say.
 */
class SqlTest {
    private static final String INSERT = "INSERT INTO t (k, v) VALUES (?, ?)";

    /** Instants as ISO-8601 text: any encoding a store chooses, as long as it reads back what it wrote. */
    static final Columns ISO_TEXT = new Columns() {
        @Override
        public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
            ps.setString(index, value.toString());
        }

        @Override
        public Instant instant(ResultSet rs, int column) throws SQLException {
            String text = rs.getString(column);
            return text == null ? null : Instant.parse(text);
        }
    };

    @TempDir
    Path dir;
    Connection connection;
    Sql sql;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        sql = new Sql(connection, ISO_TEXT);
        sql.update("CREATE TABLE t (k TEXT PRIMARY KEY, v)");
    }

    @AfterEach
    void close() throws SQLException {
        sql.close();
        connection.close();
    }

    @Test
    void theSameStatementServesDifferentParameters() throws SQLException {
        for (int i = 0; i < 5; i++) {
            assertThat(sql.update(INSERT, "k" + i, i)).isEqualTo(1);
        }
        PreparedStatement insert = sql.cached(INSERT).orElseThrow();
        sql.update(INSERT, "k5", 5);

        assertThat(sql.cached(INSERT)).containsSame(insert);
        assertThat(sql.query("SELECT v FROM t WHERE v >= ? ORDER BY v", rs -> rs.getInt(1), 3)).containsExactly(3, 4, 5);
        assertThat(sql.one("SELECT v FROM t WHERE k = ?", rs -> rs.getInt(1), "k1")).contains(1);
        assertThat(sql.one("SELECT v FROM t WHERE k = ?", rs -> rs.getInt(1), "nope")).isEmpty();
    }

    @Test
    void aFailedStatementIsClosedAndPreparedAgain() throws SQLException {
        sql.update(INSERT, "dup", 1);
        PreparedStatement failing = sql.cached(INSERT).orElseThrow();

        assertThatThrownBy(() -> sql.update(INSERT, "dup", 2)).isInstanceOf(SQLException.class);

        assertThat(sql.cached(INSERT)).isEmpty();
        assertThat(failing.isClosed()).isTrue();
        assertThat(sql.update(INSERT, "fresh", 3)).isEqualTo(1);
        assertThat(sql.query("SELECT k FROM t ORDER BY k", rs -> rs.getString(1))).containsExactly("dup", "fresh");
    }

    @Test
    void aLargeBatchDoesNotStayCachedSoSmallBatchesStayCheap() throws SQLException {
        sql.batch(INSERT, ps -> addRows(ps, "small", 2));
        PreparedStatement small = sql.cached(INSERT).orElseThrow();
        sql.batch(INSERT, ps -> addRows(ps, "small2", 2));
        assertThat(sql.cached(INSERT)).containsSame(small);

        sql.batch(INSERT, ps -> addRows(ps, "large", Sql.MAX_CACHED_BATCH + 1));

        assertThat(sql.cached(INSERT)).isEmpty();
        assertThat(small.isClosed()).isTrue();
        sql.batch(INSERT, ps -> addRows(ps, "after", 2));
        assertThat(sql.one("SELECT count(*) FROM t", rs -> rs.getInt(1))).contains(Sql.MAX_CACHED_BATCH + 7);
    }

    private void addRows(PreparedStatement ps, String prefix, int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            sql.bind(ps, prefix + i, i);
            ps.addBatch();
        }
    }

    @Test
    void theLeastRecentlyUsedStatementGoesWhenTheCacheIsFull() throws SQLException {
        String kept = "SELECT count(*) FROM t WHERE v = 0";
        sql.one(kept, rs -> rs.getInt(1));
        String eldest = "SELECT count(*) FROM t WHERE v = 1";
        sql.one(eldest, rs -> rs.getInt(1));
        PreparedStatement evicted = sql.cached(eldest).orElseThrow();
        sql.one(kept, rs -> rs.getInt(1)); // used again: now the eldest is the other one

        for (int i = 2; i < Sql.MAX_PREPARED + 1; i++) {
            sql.one("SELECT count(*) FROM t WHERE v = " + i, rs -> rs.getInt(1));
        }

        assertThat(sql.cached(eldest)).isEmpty();
        assertThat(evicted.isClosed()).isTrue();
        assertThat(sql.cached(kept)).isPresent();
    }

    @Test
    void closingClosesEveryStatementButNotTheConnection() throws SQLException {
        sql.update(INSERT, "a", 1);
        List<PreparedStatement> statements = new ArrayList<>(List.of(sql.cached(INSERT).orElseThrow()));
        sql.one("SELECT v FROM t WHERE k = ?", rs -> rs.getInt(1), "a");
        statements.add(sql.cached("SELECT v FROM t WHERE k = ?").orElseThrow());

        sql.close();

        assertThat(statements).allMatch(SqlTest::isClosed);
        assertThat(connection.isClosed()).isFalse();
    }

    @Test
    void instantsAreBoundAndReadAsTheStoresColumnsHoldThem() throws SQLException {
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        sql.update(INSERT, "at", at);
        sql.update(INSERT, "none", null);
        Rows rows = new Rows(ISO_TEXT);

        assertThat(sql.one("SELECT v FROM t WHERE k = ?", rs -> rs.getString(1), "at")).contains(at.toString());
        assertThat(sql.one("SELECT v FROM t WHERE k = ?", rs -> rows.instant(rs, "v"), "at")).contains(at);
        assertThat(sql.query("SELECT v FROM t WHERE k = ?", rs -> rows.instant(rs, "v"), "none")).containsOnlyNulls();
    }

    private static boolean isClosed(PreparedStatement ps) {
        try {
            return ps.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }
}
