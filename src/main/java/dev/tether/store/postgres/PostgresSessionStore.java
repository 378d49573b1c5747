package dev.tether.store.postgres;

import dev.tether.session.SearchTooSlow;
import dev.tether.session.TurnEvent;
import dev.tether.store.jdbc.ConcurrentJdbcExecutor;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.jdbc.SqlRecords;
import dev.tether.store.jdbc.SqlSessionStore;
import dev.tether.store.jdbc.SqlWork;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The sessions in PostgreSQL. Every call is one transaction (or one autocommit read) on the
 * executor's threads, running beside the others; the lifecycle's steps serialise on one session by
 * locking its row ({@link PostgresRecords}); a journal batch holds its turns' rows for share, taken
 * in id order so two batches never wait on each other.
 */
public final class PostgresSessionStore extends SqlSessionStore {

    public PostgresSessionStore(ConcurrentJdbcExecutor db) {
        super(db);
    }

    /** On {@code db} as {@code seen} wraps it (each call timed, for the metrics); the wrapper must only pass calls on. */
    public PostgresSessionStore(ConcurrentJdbcExecutor db, UnaryOperator<SqlExecutor> seen) {
        super(seen.apply(db));
    }

    @Override
    protected SqlRecords records(Sql sql) {
        return new PostgresRecords(sql, rows);
    }

    /** As every store runs it, then the transaction's wake-ups, sent inside it (see {@link TurnNotices}). */
    @Override
    public <T> T transact(Transaction<T> work) {
        return db.write(sql -> {
            PostgresRecords records = new PostgresRecords(sql, rows);
            T result = work.run(records);
            records.notices.send(notify(sql));
            return result;
        });
    }

    @Override
    protected void journaled(Sql sql, Set<String> turns, List<TurnEvent> events) throws SQLException {
        TurnNotices notices = new TurnNotices();
        notices.wrote(events.stream().filter(e -> turns.contains(e.turnId())).toList());
        notices.send(notify(sql));
    }

    private static TurnNotices.JdbcNotify notify(Sql sql) {
        return (channel, payload) -> sql.one("SELECT pg_notify(?, ?)", rs -> 1, channel, payload);
    }

    @Override
    protected String caseInsensitiveLike() {
        return "ILIKE";
    }

    /** Messages whose content holds the text: ILIKE, which the trigram index of migration V5 answers. */
    @Override
    protected String contentMatch() {
        return "SELECT m.session_id FROM messages m WHERE m.content ILIKE ? ESCAPE '\\'";
    }

    @Override
    protected String contentPattern(String text) {
        return likePattern(text);
    }

    /**
     * {@code statement_timeout} for this transaction only (the snapshot's), so the server cancels the
     * search, lock waits included (SQLSTATE 57014).
     */
    @Override
    protected <T> T timeLimited(Sql sql, Duration limit, SqlWork<T> search) throws SQLException {
        sql.one("SELECT set_config('statement_timeout', ?, true)", rs -> rs.getString(1),
                Math.max(1, limit.toMillis()) + "ms");
        try {
            return search.run(sql);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                throw new SearchTooSlow(e);
            }
            throw e;
        }
    }

    @Override
    protected String shareLock() {
        return " FOR SHARE";
    }

    @Override
    protected Collection<String> lockOrder(List<TurnEvent> events) {
        return new TreeSet<>(events.stream().map(TurnEvent::turnId).toList());
    }

    @Override
    public String kind() {
        return "postgresql";
    }
}
