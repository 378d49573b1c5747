package dev.tether.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/** An open, migrated database: its pool and the executor all JDBC calls go through. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final JdbcExecutor executor;
    private final WalCheckpoints checkpoints;

    private Database(HikariDataSource dataSource, int readers) {
        this.dataSource = dataSource;
        this.executor = new JdbcExecutor(dataSource, readers, "sqlite");
        this.checkpoints = new WalCheckpoints(dataSource);
    }

    /**
     * Opens (creating if needed) the SQLite file in WAL mode and migrates it. synchronous=FULL:
     * a commit survives power loss, and group commit keeps that affordable.
     */
    public static Database openSqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data directory for " + file + ": " + e.getMessage(), e);
        }
        Properties pragmas = new Properties();
        pragmas.setProperty("journal_mode", "WAL");
        pragmas.setProperty("synchronous", "FULL");
        pragmas.setProperty("busy_timeout", "10000");
        pragmas.setProperty("wal_autocheckpoint", "0"); // WalCheckpoints does it, off the writer
        pragmas.setProperty("foreign_keys", "true");
        pragmas.setProperty("transaction_mode", "IMMEDIATE");
        // Nothing reads generated keys; with this on, the driver runs "SELECT last_insert_rowid()"
        // after every insert (a fifth of a start's statements on the single writer).
        pragmas.setProperty("jdbc.get_generated_keys", "false");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setDataSourceProperties(pragmas);
        config.setMaximumPoolSize(5); // the writer, 3 readers, the checkpoints
        config.setMinimumIdle(1);
        config.setPoolName("tether-sqlite");
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
        return new Database(ds, 3);
    }

    public JdbcExecutor executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.close();
        checkpoints.close();
        dataSource.close();
    }
}
