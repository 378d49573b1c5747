package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs JDBC on a few platform threads for a database that takes concurrent writers (a server
 * database), where {@link JdbcExecutor}'s single writer would only queue what the database can do
 * side by side. Each call runs on whichever thread is free, each thread holding one pooled
 * connection with its statements ({@link Sql}): a write is one transaction of its own, committed
 * before the caller returns; a read runs in autocommit; a snapshot is one read-only REPEATABLE READ
 * transaction. Isolation beyond that (locking the rows a write depends on) is the store's SQL.
 *
 * <p>Busy JDBC never runs on virtual threads: they share the few carriers, and blocking them in the
 * driver starved a 2-core machine (see {@link JdbcExecutor}).
 *
 * <p>Threading: {@code calls} is the hand-off queue; each connection and its statements are confined
 * to the thread that owns it; everything else is immutable.
 */
public final class ConcurrentJdbcExecutor implements SqlExecutor, AutoCloseable {

    /** A write the database rolled back for a conflict (deadlock, serialisation) is run again, this often at most. */
    static final int ATTEMPTS = 3;
    private static final Call<Void> STOP = new Call<>(own -> null);

    private final HikariDataSource dataSource;
    private final Columns columns;
    private final BlockingQueue<Call<?>> calls = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** Starts {@code threadCount} threads named {@code name-N}; the pool should hold as many connections. */
    public ConcurrentJdbcExecutor(HikariDataSource dataSource, int threadCount, String name, Columns columns) {
        this.dataSource = dataSource;
        this.columns = columns;
        for (int i = 1; i <= threadCount; i++) {
            threads.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(this::serve));
        }
    }

    /** How this database's columns hold instants (see {@link Rows}). */
    @Override
    public Columns columns() {
        return columns;
    }

    /**
     * Runs {@code work} as one transaction and returns after it committed; if it throws, nothing of
     * it is kept. The database may roll a transaction back for a conflict with another (SQLSTATE class
     * 40: deadlock, serialisation failure); then {@code work} runs again from the start, so it must
     * do nothing outside the database that it could not do twice.
     */
    @Override
    public <T> T write(SqlWork<T> work) {
        return submit(own -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return inTransaction(own, work);
                } catch (SQLException | RuntimeException e) {
                    if (attempt >= ATTEMPTS || !isConflict(e)) {
                        throw e;
                    }
                }
            }
        });
    }

    /** Runs {@code work} in autocommit: each statement sees what was committed when it ran. */
    @Override
    public <T> T read(SqlWork<T> work) {
        return submit(own -> work.run(own.sql()));
    }

    /** Runs {@code work} in one read-only REPEATABLE READ transaction: every statement sees the same commit. */
    @Override
    public <T> T snapshot(SqlWork<T> work) {
        return submit(own -> inTransaction(own, sql -> {
            sql.update("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return work.run(sql);
        }));
    }

    private static <T> T inTransaction(OwnedConnection own, SqlWork<T> work) throws SQLException {
        Sql sql = own.sql();
        Connection c = own.transactions();
        c.setAutoCommit(false);
        try {
            T value = work.run(sql);
            c.commit();
            return value;
        } catch (SQLException | RuntimeException | Error e) {
            rollBack(own, c);
            throw e;
        } finally {
            try {
                if (!c.isClosed()) {
                    c.setAutoCommit(true); // as the pool hands connections out
                }
            } catch (SQLException e) {
                own.abandon();
            }
        }
    }

    /** A connection that cannot even roll back is given up (closing it rolls back whatever it held). */
    private static void rollBack(OwnedConnection own, Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            own.abandon();
        }
    }

    /** Whether {@code e} (or what it wraps) is the database rolling the transaction back for a conflict. */
    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    private <T> T submit(Work<T> work) {
        if (closed) {
            throw new StoreException("store is closed", null);
        }
        Call<T> call = new Call<>(work);
        calls.add(call);
        try {
            return call.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("database call failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void serve() {
        try (OwnedConnection own = new OwnedConnection(dataSource, columns)) {
            for (Call<?> call = calls.take(); call != STOP; call = calls.take()) {
                call.runOn(own);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking calls, lets the threads finish what is queued, then fails what came too late. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        threads.forEach(t -> calls.add(STOP));
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StoreException gone = new StoreException("store is closed", null);
        for (Call<?> late; (late = calls.poll()) != null; ) {
            if (late != STOP) {
                late.result.completeExceptionally(gone);
            }
        }
    }

    /** What a call does with its thread's connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(OwnedConnection own) throws SQLException;
    }

    /** One queued call and its caller's future. */
    private static final class Call<T> {
        final Work<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Call(Work<T> work) {
            this.work = work;
        }

        void runOn(OwnedConnection own) {
            try {
                result.complete(work.run(own));
            } catch (SQLException e) {
                own.abandon(); // a connection that failed is not trusted with the next call
                result.completeExceptionally(new StoreException("database call failed: " + e.getMessage(), e));
            } catch (RuntimeException | Error e) { // the thread lives on to serve the next call
                result.completeExceptionally(e);
            }
        }
    }
}
