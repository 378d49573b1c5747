package dev.tether.support;

import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.sqlite.SqliteDatabase;
import dev.tether.store.sqlite.SqliteSessionStore;
import java.nio.file.Path;

/** A real SQLite store on a file in {@code dir}: the database and the store over it. */
public final class SqliteFile implements AutoCloseable {
    private final Database database;
    private final SessionStore store;

    private SqliteFile(Database database) {
        this.database = database;
        this.store = new SqliteSessionStore(database.executor());
    }

    public static SqliteFile in(Path dir) {
        return new SqliteFile(SqliteDatabase.open(dir.resolve("tether.db")));
    }

    public SessionStore store() {
        return store;
    }

    @Override
    public void close() {
        database.close();
    }
}
