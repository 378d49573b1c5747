package dev.tether.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tether.support.TestPostgres;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor of a database with concurrent writers (PostgreSQL here): a write is one transaction
 * kept whole or not at all, one the database aborted for a conflict runs again, and a snapshot sees
 * one commit throughout.
 */
class ConcurrentJdbcExecutorTest {
    private static final String KEYS = "SELECT k FROM t ORDER BY k";

    TestPostgres.Fresh fresh;
    HikariDataSource pool;
    ConcurrentJdbcExecutor executor;

    @BeforeEach
    void open() {
        fresh = TestPostgres.database();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(fresh.jdbcUrl());
        config.setUsername(TestPostgres.USER);
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        executor = new ConcurrentJdbcExecutor(pool, 2, "test", SqlTest.ISO_TEXT);
        executor.write(sql -> sql.update("CREATE TABLE t (k text PRIMARY KEY, v integer)"));
    }

    @AfterEach
    void close() {
        executor.close();
        pool.close();
        fresh.close();
    }

    @Test
    void aWriteThatFailsKeepsNothingAndTheNextWriteRuns() {
        assertThatThrownBy(() -> executor.write(sql -> {
            sql.update("INSERT INTO t (k, v) VALUES (?, ?)", "a", 1);
            throw new IllegalStateException("the work changed its mind");
        })).hasMessage("the work changed its mind");
        executor.write(sql -> sql.update("INSERT INTO t (k, v) VALUES (?, ?)", "b", 2));

        assertThat(keys()).containsExactly("b");
    }

    /**
     * Two writes lock two rows in opposite orders: the database aborts one of them for the deadlock,
     * and that one runs again once the other committed, so both are kept.
     */
    @Test
    void aWriteAbortedForADeadlockRunsAgain() throws Exception {
        executor.write(sql -> sql.update("INSERT INTO t (k, v) VALUES ('x', 0), ('y', 0)"));
        CountDownLatch xLocked = new CountDownLatch(1);
        CountDownLatch yLocked = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> executor.write(sql -> {
            attempts.incrementAndGet();
            sql.update("UPDATE t SET v = v + 1 WHERE k = 'x'");
            xLocked.countDown();
            await(yLocked);
            return sql.update("UPDATE t SET v = v + 1 WHERE k = 'y'");
        }));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> executor.write(sql -> {
            attempts.incrementAndGet();
            sql.update("UPDATE t SET v = v + 10 WHERE k = 'y'");
            yLocked.countDown();
            await(xLocked);
            return sql.update("UPDATE t SET v = v + 10 WHERE k = 'x'");
        }));

        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertThat(attempts).hasValue(3);
        List<Integer> values = executor.read(sql -> sql.query("SELECT v FROM t ORDER BY k", rs -> rs.getInt(1)));
        assertThat(values).containsExactly(11, 11);
    }

    @Test
    void aSnapshotSeesOneCommitWhileOthersCommit() {
        List<Integer> counts = executor.snapshot(sql -> {
            int before = count(sql);
            executor.write(other -> other.update("INSERT INTO t (k, v) VALUES ('late', 1)")); // on the other thread
            return List.of(before, count(sql));
        });

        assertThat(counts).containsExactly(0, 0);
        assertThat(keys()).containsExactly("late");
    }

    private static int count(Sql sql) throws java.sql.SQLException {
        return sql.one("SELECT count(*) FROM t", rs -> rs.getInt(1)).orElseThrow();
    }

    private List<String> keys() {
        return executor.read(sql -> sql.query(KEYS, rs -> rs.getString(1)));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other write never took its lock");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
