package dev.tether.store.sqlite;

import dev.tether.session.SearchTooSlow;
import dev.tether.store.jdbc.JdbcExecutor;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.jdbc.SqlRecords;
import dev.tether.store.jdbc.SqlSessionStore;
import java.util.function.UnaryOperator;
import dev.tether.store.jdbc.SqlWork;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The sessions in one SQLite file. Reads go to the reader threads; every write is one transaction
 * on the single writer thread, which serialises the lifecycle's steps ({@link SqliteRecords}).
 */
public final class SqliteSessionStore extends SqlSessionStore {

    public SqliteSessionStore(JdbcExecutor db) {
        super(db);
    }

    /** On {@code db} as {@code seen} wraps it (each call timed, for the metrics); the wrapper must only pass calls on. */
    public SqliteSessionStore(JdbcExecutor db, UnaryOperator<SqlExecutor> seen) {
        super(seen.apply(db));
    }

    @Override
    protected SqlRecords records(Sql sql) {
        return new SqliteRecords(sql, rows);
    }

    /**
     * Messages whose text holds the phrase, from the trigram index {@code message_search} (migration
     * V7): the phrase's trigrams at consecutive positions, which is the text occurring anywhere.
     */
    @Override
    protected String contentMatch() {
        return "SELECT k.session_id FROM search_keys k WHERE k.key IN"
                + " (SELECT rowid FROM message_search WHERE message_search MATCH ?)";
    }

    /** The text as one FTS5 phrase: in double quotes, its own double quotes doubled. */
    @Override
    protected String contentPattern(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /**
     * SQLite's progress handler, called every {@value #STEPS_PER_CHECK} virtual-machine steps, stops
     * the statement once the deadline has passed (SQLITE_INTERRUPT). The handler belongs to the
     * reader's connection, which only this thread uses, and is cleared before it goes back.
     */
    @Override
    protected <T> T timeLimited(Sql sql, Duration limit, SqlWork<T> search) throws SQLException {
        SQLiteConnection connection = sql.connection().unwrap(SQLiteConnection.class);
        long deadline = System.nanoTime() + limit.toNanos();
        ProgressHandler.setHandler(connection, STEPS_PER_CHECK, new ProgressHandler() {
            @Override
            public int progress() {
                return System.nanoTime() - deadline > 0 ? 1 : 0;
            }
        });
        try {
            return search.run(sql);
        } catch (SQLiteException e) {
            if (e.getResultCode() == SQLiteErrorCode.SQLITE_INTERRUPT) {
                throw new SearchTooSlow(e);
            }
            throw e;
        } finally {
            ProgressHandler.clearHandler(connection);
        }
    }

    private static final int STEPS_PER_CHECK = 1000;

    @Override
    public String kind() {
        return "sqlite";
    }
}
