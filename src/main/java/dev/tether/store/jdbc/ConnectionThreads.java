package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A few platform threads, each owning one connection ({@link OwnedConnection}), answering calls
 * from one queue: JDBC never runs on a caller's (virtual) thread. SQLite's readers and the
 * concurrent executor's transactions both run here.
 *
 * <p>Threading: {@code calls} is the hand-off; each connection is confined to its thread.
 */
final class ConnectionThreads implements AutoCloseable {

    /** What a call does with its thread's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(OwnedConnection own) throws SQLException;
    }

    private static final Call<Void> STOP = new Call<>(own -> null, "");

    private final HikariDataSource pool;
    private final Columns columns;
    private final String failure;
    private final BlockingQueue<Call<?>> calls = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Starts {@code count} threads named {@code prefix1}, {@code prefix2}, ...; {@code failure} opens
     * the message of a call the database refused ("database read failed").
     */
    ConnectionThreads(HikariDataSource pool, Columns columns, int count, String prefix, String failure) {
        this.pool = pool;
        this.columns = columns;
        this.failure = failure;
        for (int i = 1; i <= count; i++) {
            threads.add(Thread.ofPlatform().daemon().name(prefix + i).start(this::serve));
        }
    }

    /** Runs {@code work} on one of the threads and returns what it returned (or throws what it threw). */
    <T> T call(Work<T> work) {
        if (closed) {
            throw new StoreException("store is closed", null);
        }
        Call<T> call = new Call<>(work, failure);
        calls.add(call);
        return await(call.result);
    }

    /** A caller waits here for its answer; a store failure surfaces as the unchecked exception it is. */
    static <T> T await(CompletableFuture<T> future) {
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

    private void serve() {
        try (OwnedConnection own = new OwnedConnection(pool, columns)) {
            for (Call<?> call = calls.take(); call != STOP; call = calls.take()) {
                call.runOn(own);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking calls, lets the threads answer what is queued, then fails what came too late. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        threads.forEach(t -> calls.add(STOP));
        threads.forEach(ConnectionThreads::join);
        StoreException gone = new StoreException("store is closed", null);
        for (Call<?> late; (late = calls.poll()) != null; ) {
            if (late != STOP) { // a thread that did not stop in time leaves its own behind
                late.result.completeExceptionally(gone);
            }
        }
    }

    static void join(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One queued call and its caller's future. */
    private static final class Call<T> {
        final Work<T> work;
        final String failure;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Call(Work<T> work, String failure) {
            this.work = work;
            this.failure = failure;
        }

        void runOn(OwnedConnection own) {
            try {
                result.complete(work.run(own));
            } catch (SQLException e) {
                own.abandon(); // a connection that failed is not trusted with the next call
                result.completeExceptionally(new StoreException(failure + ": " + e.getMessage(), e));
            } catch (RuntimeException | Error e) { // the thread lives on to serve the next call
                result.completeExceptionally(e);
            }
        }
    }
}
