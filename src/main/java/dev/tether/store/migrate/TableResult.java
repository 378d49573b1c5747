package dev.tether.store.migrate;

/** One table's rows and SHA-256 as read from SQLite while copying, and as read back from PostgreSQL. */
public record TableResult(String table, long sqliteRows, String sqliteDigest, long postgresRows, String postgresDigest) {

    public boolean matches() {
        return sqliteRows == postgresRows && sqliteDigest.equals(postgresDigest);
    }

    static TableResult of(String table, TableDigest.Summary sqlite, TableDigest.Summary postgres) {
        return new TableResult(table, sqlite.rows(), sqlite.sha256(), postgres.rows(), postgres.sha256());
    }
}
