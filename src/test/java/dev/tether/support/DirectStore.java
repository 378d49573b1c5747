package dev.tether.support;

import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.postgres.PostgresDatabase;
import dev.tether.store.postgres.PostgresSessionStore;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.sqlite.SqliteSessionStore;
import java.nio.file.Path;

/**
 * A real session store with no server around it, on the run's chosen database ({@link TestStore}:
 * a SQLite file in {@code dir}, or a fresh PostgreSQL database), for tests that drive the lifecycle
 * below HTTP.
 */
public final class DirectStore implements AutoCloseable {
    private final TestStore where;
    private final AutoCloseable database;
    private final SessionStore store;

    private DirectStore(TestStore where) {
        this.where = where;
        try {
            switch (where) {
                case TestStore.Sqlite sqlite -> {
                    Database opened = SqliteDatabase.open(sqlite.file());
                    database = opened;
                    store = new SqliteSessionStore(opened.executor());
                }
                case TestStore.Postgres postgres -> {
                    PostgresDatabase opened = PostgresDatabase.open(postgres.database().jdbcUrl(), TestPostgres.USER, null);
                    database = opened;
                    store = new PostgresSessionStore(opened.executor());
                }
            }
        } catch (RuntimeException e) {
            where.close();
            throw e;
        }
    }

    public static DirectStore in(Path dir) {
        return new DirectStore(TestStore.chosen(dir));
    }

    public SessionStore store() {
        return store;
    }

    @Override
    public void close() {
        try {
            database.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the store failed: " + e, e);
        } finally {
            where.close();
        }
    }
}
