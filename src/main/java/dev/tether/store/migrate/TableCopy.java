package dev.tether.store.migrate;

import dev.tether.store.jdbc.Columns;
import dev.tether.store.postgres.PostgresColumns;
import dev.tether.store.sqlite.SqliteColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Copies tables from a SQLite connection into a PostgreSQL connection's open transaction, and reads
 * them back. Both sides stream: SQLite's driver steps through a result as it is read, PostgreSQL's
 * fetches {@value #FETCH} rows at a time through a cursor (it does so only inside a transaction,
 * which this always is), and inserts go in batches of {@value #BATCH}. Memory stays one batch,
 * whatever the size of the data dir. Not thread-safe: one thread drives both connections.
 */
final class TableCopy {
    static final int BATCH = 1000;
    static final int FETCH = 1000;

    private final Connection sqlite;
    private final Connection postgres;
    private final Columns sqliteColumns = new SqliteColumns();
    private final Columns postgresColumns = new PostgresColumns();

    TableCopy(Connection sqlite, Connection postgres) {
        this.sqlite = sqlite;
        this.postgres = postgres;
    }

    /**
     * What was read of a table from SQLite (its count, and its digest after the one change made on
     * the way) and how many text values held U+0000.
     */
    record Copied(TableDigest.Summary read, long nulsReplaced) {}

    /**
     * Copies every row of {@code table}, in key order. SQLite keeps U+0000 in text, PostgreSQL's
     * text cannot hold it: such a value is written with U+FFFD in its place, counted, and digested
     * as written, so the check compares what was meant to be written with what was.
     */
    Copied copy(Table table) throws SQLException {
        TableDigest digest = new TableDigest(table);
        int width = table.columns().size();
        long nuls = 0;
        try (Statement read = sqlite.createStatement();
             ResultSet rs = read.executeQuery(table.select(""));
             PreparedStatement insert = postgres.prepareStatement(table.insert())) {
            int pending = 0;
            while (rs.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    Table.Kind kind = table.columns().get(i).kind();
                    row[i] = kind.read(rs, i + 1, sqliteColumns);
                    if (row[i] instanceof String text && text.indexOf('\0') >= 0) {
                        row[i] = text.replace('\0', '\uFFFD');
                        nuls++;
                    }
                    kind.bind(insert, i + 1, row[i], postgresColumns);
                }
                digest.add(row);
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        return new Copied(digest.summary(), nuls);
    }

    /** The count and digest of {@code table} as PostgreSQL now holds it in this transaction. */
    TableDigest.Summary readBack(Table table) throws SQLException {
        TableDigest digest = new TableDigest(table);
        int width = table.columns().size();
        try (Statement read = postgres.createStatement()) {
            read.setFetchSize(FETCH);
            try (ResultSet rs = read.executeQuery(table.select(" COLLATE \"C\""))) {
                while (rs.next()) {
                    Object[] row = new Object[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = table.columns().get(i).kind().read(rs, i + 1, postgresColumns);
                    }
                    digest.add(row);
                }
            }
        }
        return digest.summary();
    }

    /**
     * Moves the turns' journal-key sequence past the keys copied with the turns (they were inserted
     * as given), so the next turn started on PostgreSQL gets a key no journal row uses yet.
     */
    void continueJournalKeys() throws SQLException {
        try (Statement s = postgres.createStatement()) {
            s.execute("SELECT setval(pg_get_serial_sequence('turns', 'journal_key'),"
                    + " (SELECT coalesce(max(journal_key), 0) + 1 FROM turns), false)");
        }
    }
}
