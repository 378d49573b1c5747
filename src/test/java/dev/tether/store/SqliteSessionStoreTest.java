package dev.tether.store;

import dev.tether.session.SessionStore;
import dev.tether.store.jdbc.Database;
import dev.tether.store.sqlite.SqliteSessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file (WAL, group commit) in a fresh temp dir. */
class SqliteSessionStoreTest extends SessionStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected SessionStore openStore() {
        database = Database.openSqlite(dir.resolve("tether.db"));
        return new SqliteSessionStore(database.executor());
    }

    @Override
    protected void closeStore() {
        database.close();
    }
}
