package dev.tether.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tether.store.jdbc.ConcurrentJdbcExecutor;
import dev.tether.store.jdbc.Database;
import java.util.Properties;

/**
 * An open, migrated PostgreSQL database: its connection pool and the executor its stores run on.
 * There is no single writer here: transactions run side by side, one per executor thread, and a
 * store's correctness rests on its compare-and-sets and row locks (see {@link PostgresRecords}).
 */
public final class PostgresDatabase implements AutoCloseable {
    /** Platform threads (and pooled connections) running JDBC: few, as the machine has few cores. */
    static final int THREADS = 6;

    private final HikariDataSource pool;
    private final ConcurrentJdbcExecutor executor;

    private PostgresDatabase(HikariDataSource pool, ConcurrentJdbcExecutor executor) {
        this.pool = pool;
        this.executor = executor;
    }

    /**
     * Connects to {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}) as {@code user}
     * (password may be null) and migrates the schema; throws if the server cannot be reached or
     * migrating fails, leaving nothing open.
     */
    public static PostgresDatabase open(String jdbcUrl, String user, String password) {
        Properties driver = new Properties();
        // A batch of journal rows goes to the server as multi-row INSERTs, not one statement a row.
        driver.setProperty("reWriteBatchedInserts", "true");
        driver.setProperty("ApplicationName", "tether");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password);
        }
        config.setDataSourceProperties(driver);
        config.setMaximumPoolSize(THREADS);
        config.setMinimumIdle(1);
        config.setPoolName("tether-postgresql");
        HikariDataSource pool = Database.migrated(config, "classpath:db/migration/postgresql");
        return new PostgresDatabase(pool, new ConcurrentJdbcExecutor(pool, THREADS, "postgresql", new PostgresColumns()));
    }

    public ConcurrentJdbcExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        try {
            executor.close();
        } finally {
            pool.close();
        }
    }
}
