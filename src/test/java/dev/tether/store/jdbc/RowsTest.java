package dev.tether.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows' statement cache: reused per connection, dropped with a failure or after a large batch, swept with a
 * closed connection.
 */
class RowsTest {
    @TempDir
    Path dir;

    private Connection open(String name) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name));
        Rows.update(c, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
        return c;
    }

    @Test
    void theSameStatementServesDifferentParameters() throws SQLException {
        try (Connection c = open("a.db")) {
            for (int i = 0; i < 5; i++) {
                assertThat(Rows.update(c, "INSERT INTO t (k, v) VALUES (?, ?)", "k" + i, i)).isEqualTo(1);
            }
            assertThat(Rows.query(c, "SELECT v FROM t WHERE v >= ? ORDER BY v", rs -> rs.getInt(1), 3))
                    .containsExactly(3, 4);
            assertThat(Rows.one(c, "SELECT v FROM t WHERE k = ?", rs -> rs.getInt(1), "k1")).contains(1);
            assertThat(Rows.one(c, "SELECT v FROM t WHERE k = ?", rs -> rs.getInt(1), "nope")).isEmpty();
            assertThat(Rows.caches(c)).isTrue();
        }
    }

    @Test
    void aFailedStatementIsPreparedAgainAndWorks() throws SQLException {
        try (Connection c = open("b.db")) {
            Rows.update(c, "INSERT INTO t (k, v) VALUES (?, ?)", "dup", 1);

            assertThatThrownBy(() -> Rows.update(c, "INSERT INTO t (k, v) VALUES (?, ?)", "dup", 2))
                    .isInstanceOf(SQLException.class);

            assertThat(Rows.update(c, "INSERT INTO t (k, v) VALUES (?, ?)", "fresh", 3)).isEqualTo(1);
            assertThat(Rows.query(c, "SELECT k FROM t ORDER BY k", rs -> rs.getString(1))).containsExactly("dup", "fresh");
        }
    }

    @Test
    void aLargeBatchDoesNotStayCachedSoSmallBatchesStayCheap() throws SQLException {
        String insert = "INSERT INTO t (k, v) VALUES (?, ?)";
        try (Connection c = open("e.db")) {
            Rows.batch(c, insert, ps -> addRows(ps, "small", 2));
            PreparedStatement small = Rows.cached(c, insert).orElseThrow();
            Rows.batch(c, insert, ps -> addRows(ps, "small2", 2));
            assertThat(Rows.cached(c, insert)).containsSame(small);

            Rows.batch(c, insert, ps -> addRows(ps, "large", Rows.MAX_CACHED_BATCH + 1));

            assertThat(Rows.cached(c, insert)).isEmpty();
            assertThat(small.isClosed()).isTrue();
            Rows.batch(c, insert, ps -> addRows(ps, "after", 2));
            assertThat(Rows.one(c, "SELECT count(*) FROM t", rs -> rs.getInt(1))).contains(Rows.MAX_CACHED_BATCH + 7);
        }
    }

    private static void addRows(PreparedStatement ps, String prefix, int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            Rows.bind(ps, prefix + i, i);
            ps.addBatch();
        }
    }

    @Test
    void aClosedConnectionLeavesTheCacheWhenAnotherArrives() throws SQLException {
        Connection first = open("c.db");
        Rows.query(first, "SELECT count(*) FROM t", rs -> rs.getInt(1));
        assertThat(Rows.caches(first)).isTrue();
        first.close();

        try (Connection second = open("d.db")) {
            Rows.query(second, "SELECT count(*) FROM t", rs -> rs.getInt(1));

            assertThat(Rows.caches(second)).isTrue();
            assertThat(Rows.caches(first)).isFalse();
        }
    }
}
