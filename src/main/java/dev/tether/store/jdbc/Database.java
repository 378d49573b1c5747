package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * An open, migrated database: its connection pool, the executor all JDBC calls go through, and
 * whatever a store runs beside them on the same pool. Which database it is, and how it is
 * configured, is the store's business (e.g. {@code SqliteDatabase}).
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource pool;
    private final JdbcExecutor executor;
    private final List<AutoCloseable> companions = new CopyOnWriteArrayList<>();

    private Database(HikariDataSource pool, JdbcExecutor executor) {
        this.pool = pool;
        this.executor = executor;
    }

    /**
     * Opens the pool, migrates the schema with Flyway from {@code migrations} (a classpath location),
     * and starts an executor of {@code readers} reader threads named for {@code name}. If migrating
     * fails, the pool is closed again: nothing is left running.
     */
    public static Database open(HikariConfig config, String migrations, String name, int readers, Columns columns) {
        HikariDataSource pool = migrated(config, migrations);
        return new Database(pool, new JdbcExecutor(pool, readers, name, columns));
    }

    /**
     * Opens the pool and migrates the schema with Flyway from {@code migrations} (a classpath
     * location); if migrating fails, the pool is closed again and nothing is left running. For a
     * store that runs its pool with another executor than {@link JdbcExecutor}'s single writer.
     */
    public static HikariDataSource migrated(HikariConfig config, String migrations) {
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations(migrations).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /**
     * Starts {@code companion} on this database's pool and stops it on close, after the executor
     * and before the pool (SQLite's checkpoints run this way).
     */
    public Database beside(Function<DataSource, AutoCloseable> companion) {
        companions.add(companion.apply(pool));
        return this;
    }

    public JdbcExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        try {
            executor.close();
            for (AutoCloseable companion : companions.reversed()) {
                companion.close();
            }
        } catch (Exception e) {
            throw new StoreException("closing the database failed: " + e.getMessage(), e);
        } finally {
            pool.close();
        }
    }
}
