package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs JDBC on platform threads so that busy database work never pins the few carrier threads
 * virtual threads share (reproduced on a 2-core machine: it starved the whole server).
 *
 * <p>Writes go to one writer thread holding one connection; it commits whatever writes queued up
 * meanwhile as one transaction (group commit) of at most about 5 ms of work, each write in its own
 * savepoint, so one failing write does not undo the others and thousands of concurrent writers cost
 * few commits. A caller's future completes only after the commit, so "answered" always means
 * "durable". Reads run on a few reader threads, each holding a connection of its own (autocommit).
 * Each thread's connection comes with its statements ({@link Sql}), which {@link SqlWork} runs on.
 *
 * <p>Threading: {@code writes} and {@code reads} are the hand-off queues; each connection and its
 * statements are confined to the thread that owns them; everything else is immutable.
 */
public final class JdbcExecutor implements SqlExecutor, AutoCloseable {

    private static final int MAX_GROUP = 256;
    private static final long GROUP_BUDGET_NANOS = 5_000_000;
    /** Tells a reader thread to stop: queued after every read that came before the close. */

    private final HikariDataSource dataSource;
    private final Columns columns;
    private final BlockingQueue<PendingWrite<?>> writes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ConnectionThreads readers;
    private volatile boolean closed;

    /** Starts the writer and {@code readerThreads} readers, named {@code name-write} and {@code name-read-N}. */
    public JdbcExecutor(HikariDataSource dataSource, int readerThreads, String name, Columns columns) {
        this.dataSource = dataSource;
        this.columns = columns;
        this.readers = new ConnectionThreads(dataSource, columns, readerThreads, name + "-read-", "database read failed");
        this.writer = Thread.ofPlatform().daemon().name(name + "-write").start(this::writeLoop);
    }

    /** How this database's columns hold instants: a store maps its rows with the same (see {@link Rows}). */
    @Override
    public Columns columns() {
        return columns;
    }

    /** Runs {@code work} inside a write transaction, returning after it committed. */
    @Override
    public <T> T write(SqlWork<T> work) {
        if (closed) {
            throw new StoreException("store is closed", null);
        }
        PendingWrite<T> pending = new PendingWrite<>(work);
        writes.add(pending);
        return ConnectionThreads.await(pending.result);
    }

    /** Runs {@code work} on a read connection (autocommit, sees committed data). */
    @Override
    public <T> T read(SqlWork<T> work) {
        return readers.call(own -> work.run(own.sql()));
    }

    /** A deferred read transaction on a reader's connection: it never takes the write lock. */
    @Override
    public <T> T snapshot(SqlWork<T> work) {
        return read(sql -> {
            sql.update("BEGIN");
            try {
                return work.run(sql);
            } finally {
                sql.update("ROLLBACK"); // read only: nothing to keep, and the connection goes back to autocommit
            }
        });
    }

    private void writeLoop() {
        try (OwnedConnection own = new OwnedConnection(dataSource, columns)) {
            while (!closed || !writes.isEmpty()) {
                PendingWrite<?> first = writes.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    commitGroup(own, first);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code first} and whatever else is queued, each in its own savepoint, then commits once.
     * The group closes after {@link #GROUP_BUDGET_NANOS} of work: one group for a whole burst of
     * starts held every caller until the last had run, and then released them all to the provider
     * at once, while a commit with its fsync is cheap next to that budget (docs/performance.md has
     * the measurement); the budget bounds the commit rate under load. A group that fails
     * is rolled back whole (its connection is closed, not reused): every caller in it was told it failed.
     */
    private void commitGroup(OwnedConnection own, PendingWrite<?> first) {
        List<PendingWrite<?>> group = new ArrayList<>();
        group.add(first); // before anything can fail: every taken write is answered
        List<Runnable> completions = new ArrayList<>();
        Connection c = null;
        try {
            Sql sql = own.sql();
            c = own.transactions();
            c.setAutoCommit(false);
            long started = System.nanoTime();
            completions.add(first.runIn(sql));
            PendingWrite<?> next;
            while (group.size() < MAX_GROUP && System.nanoTime() - started < GROUP_BUDGET_NANOS
                    && (next = writes.poll()) != null) {
                group.add(next);
                completions.add(next.runIn(sql));
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            StoreException failure = new StoreException("database write failed: " + e.getMessage(), e);
            group.forEach(g -> g.result.completeExceptionally(failure));
            own.abandon();
            return;
        }
        completions.forEach(Runnable::run);
        try {
            c.setAutoCommit(true); // as the pool hands connections out; the next group begins anew
        } catch (SQLException e) {
            own.abandon();
        }
    }

    /**
     * Stops taking work, lets the writer commit what is queued and the readers answer what is
     * queued, then fails any read that arrived too late to be taken.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ConnectionThreads.join(writer);
        readers.close();
    }

    /** One queued write and its caller's future. */
    private static final class PendingWrite<T> {
        final SqlWork<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        PendingWrite(SqlWork<T> work) {
            this.work = work;
        }

        /**
         * Runs in a savepoint; returns what completes the caller once the group has committed. The
         * savepoint statements go through the statement cache: the driver's own savepoint calls
         * prepare their SQL anew each time, twice per write.
         */
        Runnable runIn(Sql sql) throws SQLException {
            sql.update("SAVEPOINT write");
            try {
                T value = work.run(sql);
                sql.update("RELEASE write");
                return () -> result.complete(value);
            } catch (SQLException | RuntimeException e) {
                sql.update("ROLLBACK TO write");
                sql.update("RELEASE write");
                RuntimeException failure = e instanceof RuntimeException re
                        ? re : new StoreException("database write failed: " + e.getMessage(), e);
                return () -> result.completeExceptionally(failure);
            }
        }
    }
}
