package dev.tether.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file from a thread of its own. SQLite
 * would otherwise do it inside whichever commit crosses 1,000 log pages, on the single writer, and
 * every write queued behind that commit waited for the copy (docs/performance.md shows it in a
 * burst of starts). A passive checkpoint runs beside the writer and its readers
 * without blocking them; the connections are opened with {@code wal_autocheckpoint=0} so only this
 * one checkpoints.
 *
 * <p>Threading: one platform thread (JDBC never runs on virtual threads here); nothing shared.
 */
final class WalCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpoints.class);
    static final long PERIOD_MS = 200;

    private final DataSource dataSource;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("sqlite-checkpoint").unstarted(r));
    private boolean warned; // the checkpoint thread's, then (after it stopped) the closing thread's

    WalCheckpoints(DataSource dataSource) {
        this.dataSource = dataSource;
        thread.scheduleWithFixedDelay(() -> checkpoint("PASSIVE"), PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void checkpoint(String mode) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(" + mode + ")");
            warned = false;
        } catch (SQLException | RuntimeException e) {
            if (!warned) { // the next period tries again; say so once per run of failures
                LOG.warn("SQLite checkpoint failed (the log grows until one succeeds): {}", e.toString());
                warned = true;
            }
        }
    }

    /** Stops the thread, then checkpoints everything and truncates the log (a clean file to back up). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint("TRUNCATE");
    }
}
