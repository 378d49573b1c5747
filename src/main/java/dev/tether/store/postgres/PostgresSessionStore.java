package dev.tether.store.postgres;

import dev.tether.session.SearchTooSlow;
import dev.tether.session.TurnEvent;
import dev.tether.store.jdbc.ConcurrentJdbcExecutor;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlRecords;
import dev.tether.store.jdbc.SqlSessionStore;
import dev.tether.store.jdbc.SqlWork;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

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

    @Override
    protected SqlRecords records(Sql sql) {
        return new PostgresRecords(sql, rows);
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
