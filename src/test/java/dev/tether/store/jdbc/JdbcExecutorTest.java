package dev.tether.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's connections: the writer and each reader keep one, with the statements prepared on
 * it; one that failed is given up and the next use borrows another.
 */
class JdbcExecutorTest {
    private static final String INSERT = "INSERT INTO t (k, v) VALUES (?, ?)";
    private static final String KEYS = "SELECT k FROM t ORDER BY k";

    @TempDir
    Path dir;
    HikariDataSource pool;
    JdbcExecutor executor;

    @BeforeEach
    void open() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        config.setMaximumPoolSize(3);
        pool = new HikariDataSource(config);
        executor = new JdbcExecutor(pool, 2, "test", SqlTest.ISO_TEXT);
        executor.write(sql -> sql.update("CREATE TABLE t (k TEXT PRIMARY KEY, v)"));
    }

    @AfterEach
    void close() {
        executor.close();
        pool.close();
    }

    @Test
    void theWriterPreparesAStatementOnceForEveryGroup() {
        PreparedStatement first = executor.write(sql -> {
            sql.update(INSERT, "a", 1);
            return sql.cached(INSERT).orElseThrow();
        });
        PreparedStatement second = executor.write(sql -> {
            sql.update(INSERT, "b", 2);
            return sql.cached(INSERT).orElseThrow();
        });

        assertThat(second).isSameAs(first);
    }

    @Test
    void eachReaderKeepsItsOwnConnectionsStatements() {
        Map<String, Set<PreparedStatement>> byThread = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            record Seen(String thread, PreparedStatement statement) {}
            Seen seen = executor.read(sql -> {
                sql.query(KEYS, rs -> rs.getString(1));
                return new Seen(Thread.currentThread().getName(), sql.cached(KEYS).orElseThrow());
            });
            byThread.computeIfAbsent(seen.thread(), t -> new HashSet<>()).add(seen.statement());
        }

        assertThat(byThread.keySet()).isSubsetOf("test-read-1", "test-read-2");
        assertThat(byThread.values()).allSatisfy(statements -> assertThat(statements).hasSize(1));
    }

    @Test
    void aGroupWhoseConnectionBrokeFailsWholeAndTheNextGroupBorrowsAnother() {
        PreparedStatement before = executor.write(sql -> {
            sql.update(INSERT, "kept", 1);
            return sql.cached(INSERT).orElseThrow();
        });

        assertThatThrownBy(() -> executor.write(sql -> {
            sql.update(INSERT, "lost", 2);
            sql.cached(INSERT).orElseThrow().getConnection().close(); // as a server's connection might drop
            return null;
        })).isInstanceOf(StoreException.class);

        PreparedStatement after = executor.write(sql -> {
            sql.update(INSERT, "next", 3);
            return sql.cached(INSERT).orElseThrow();
        });
        assertThat(after).isNotSameAs(before);
        List<String> keys = executor.read(sql -> sql.query(KEYS, rs -> rs.getString(1)));
        assertThat(keys).containsExactly("kept", "next");
    }

    @Test
    void aFailedReadGivesItsConnectionUpAndTheNextReadWorks() throws Exception {
        JdbcExecutor single = new JdbcExecutor(pool, 1, "single", SqlTest.ISO_TEXT);
        try {
            PreparedStatement before = single.read(sql -> {
                sql.query(KEYS, rs -> rs.getString(1));
                return sql.cached(KEYS).orElseThrow();
            });

            assertThatThrownBy(() -> single.read(sql -> sql.query("SELECT nothing FROM nowhere", rs -> 1)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("database read failed");

            PreparedStatement after = single.read(sql -> {
                sql.query(KEYS, rs -> rs.getString(1));
                return sql.cached(KEYS).orElseThrow();
            });
            assertThat(after).isNotSameAs(before);
            assertThat(before.isClosed()).isTrue();
        } finally {
            single.close();
        }
    }

    @Test
    void closingAnswersWhatWasQueuedAndRefusesWhatComesAfter() {
        executor.write(sql -> sql.update(INSERT, "a", 1));

        executor.close();

        assertThatThrownBy(() -> executor.read(sql -> sql.query(KEYS, rs -> rs.getString(1))))
                .isInstanceOf(StoreException.class).hasMessage("store is closed");
        assertThatThrownBy(() -> executor.write(sql -> sql.update(INSERT, "b", 2)))
                .isInstanceOf(StoreException.class).hasMessage("store is closed");
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections returned").isZero();
    }
}
