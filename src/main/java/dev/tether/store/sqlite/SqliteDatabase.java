package dev.tether.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import dev.tether.store.jdbc.Database;
import dev.tether.store.jdbc.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Opens Tether's SQLite file: the connection settings, its migrations, and its checkpoint thread. */
public final class SqliteDatabase {
    /** Connections: the writer, {@value #READERS} readers, the checkpoints. */
    private static final int READERS = 3;

    private SqliteDatabase() {}

    /**
     * Opens (creating if needed) the SQLite file in WAL mode and migrates it. synchronous=FULL:
     * a commit survives power loss, and group commit keeps that affordable.
     */
    public static Database open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Created (or tightened) before SQLite opens it: SQLite gives its -wal and -shm files the
            // same mode, and it would otherwise create the database readable by everyone (0644).
            if (Files.notExists(file)) {
                Files.createFile(file);
            }
            OwnerOnly.restrict(file, "rw-------");
        } catch (IOException e) {
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
        config.setMaximumPoolSize(1 + READERS + 1);
        config.setMinimumIdle(1);
        config.setPoolName("tether-sqlite");
        return Database.open(config, "classpath:db/migration/sqlite", "sqlite", READERS, new SqliteColumns())
                .beside(WalCheckpoints::new);
    }
}
