package dev.tether.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Runs JDBC on platform threads so that busy database work never pins the few carrier threads
 * virtual threads share (reproduced on a 2-core machine: it starved the whole server).
 *
 * <p>Writes go to one writer thread holding one connection; it commits whatever writes queued up
 * meanwhile as one transaction (group commit) of at most about 5 ms of work, each write in its own
 * savepoint, so one failing write does not undo the others and thousands of concurrent writers cost
 * few commits. A caller's future
 * completes only after the commit, so "answered" always means "durable". Reads run on a small pool.
 *
 * <p>Threading: {@code writes} is the hand-off queue; everything else is confined to the writer
 * thread or is immutable.
 */
public final class JdbcExecutor implements AutoCloseable {

    private static final int MAX_GROUP = 256;
    private static final long GROUP_BUDGET_NANOS = 5_000_000;

    private final DataSource dataSource;
    private final ExecutorService readers;
    private final BlockingQueue<PendingWrite<?>> writes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public JdbcExecutor(DataSource dataSource, int readerThreads, String name) {
        this.dataSource = dataSource;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(readerThreads,
                r -> Thread.ofPlatform().daemon().name(name + "-read-" + n.incrementAndGet()).unstarted(r));
        this.writer = Thread.ofPlatform().daemon().name(name + "-write").start(this::writeLoop);
    }

    /** Runs {@code work} inside a write transaction, returning after it committed. */
    public <T> T write(SqlWork<T> work) {
        if (closed) {
            throw new StoreException("store is closed", null);
        }
        PendingWrite<T> pending = new PendingWrite<>(work);
        writes.add(pending);
        return await(pending.result);
    }

    /** Runs {@code work} on a read connection (autocommit, sees committed data). */
    public <T> T read(SqlWork<T> work) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new StoreException("database read failed: " + e.getMessage(), e);
            }
        }, readers);
        return await(result);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("database call failed: " + e.getCause(), e.getCause());
        }
    }

    private void writeLoop() {
        while (!closed || !writes.isEmpty()) {
            try {
                PendingWrite<?> first = writes.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first != null) {
                    commitGroup(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs {@code first} and whatever else is queued, each in its own savepoint, then commits once.
     * The group closes after {@link #GROUP_BUDGET_NANOS} of work: taking all 200 starts of a burst
     * into one transaction held every caller until the last had run (all answered at 31–36 ms, and
     * then 200 turns went to the provider at once), while a commit with its fsync costs well under a
     * millisecond here. 5 ms keeps commits to at most ~200 a second under load.
     */
    private void commitGroup(PendingWrite<?> first) {
        List<PendingWrite<?>> group = new ArrayList<>();
        group.add(first); // before anything can fail: every taken write is answered
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Runnable> completions = new ArrayList<>();
            long started = System.nanoTime();
            completions.add(first.runIn(c));
            PendingWrite<?> next;
            while (group.size() < MAX_GROUP && System.nanoTime() - started < GROUP_BUDGET_NANOS
                    && (next = writes.poll()) != null) {
                group.add(next);
                completions.add(next.runIn(c));
            }
            c.commit();
            completions.forEach(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            StoreException failure = new StoreException("database write failed: " + e.getMessage(), e);
            group.forEach(g -> g.result.completeExceptionally(failure));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
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
        Runnable runIn(Connection c) throws SQLException {
            Rows.update(c, "SAVEPOINT write");
            try {
                T value = work.run(c);
                Rows.update(c, "RELEASE write");
                return () -> result.complete(value);
            } catch (SQLException | RuntimeException e) {
                Rows.update(c, "ROLLBACK TO write");
                Rows.update(c, "RELEASE write");
                RuntimeException failure = e instanceof RuntimeException re
                        ? re : new StoreException("database write failed: " + e.getMessage(), e);
                return () -> result.completeExceptionally(failure);
            }
        }
    }
}
