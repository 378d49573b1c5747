package dev.tether.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consistent copies of a SQLite store, also while a server writes to it (a database error is an
 * {@link IOException} here: to its caller a backup is file work): {@code VACUUM INTO} reads
 * the whole database in one read transaction (WAL mode lets the server's writer go on meanwhile)
 * and writes a compact copy. Opens the file with a plain connection: no pool, no migration, so it
 * neither needs nor takes the data dir's lock.
 */
public final class SqliteBackup {
    private SqliteBackup() {}

    /** Copies the database {@code from} into the new file {@code to} as one snapshot. */
    public static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new IOException("no SQLite store at " + from);
        }
        try (Connection c = open(from); PreparedStatement s = c.prepareStatement("VACUUM INTO ?")) {
            s.setString(1, to.toString());
            s.execute();
        } catch (SQLException e) {
            throw failed(from, e);
        }
    }

    /** The row count of every table of the database {@code file} (SQLite's own aside), by name. */
    public static Map<String, Long> counts(Path file) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = open(file); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw failed(file, e);
        }
        return out;
    }

    /** The ids of the attachments the database {@code file} holds metadata for. */
    public static List<String> attachmentIds(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Connection c = open(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM attachments ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failed(file, e);
        }
        return ids;
    }

    /** SQLite's own check of the file: "ok", or what is wrong. */
    public static String integrity(Path file) throws IOException {
        try (Connection c = open(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        } catch (SQLException e) {
            throw failed(file, e);
        }
    }

    private static IOException failed(Path file, SQLException e) {
        return new IOException(file + ": " + e.getMessage(), e);
    }

    private static Connection open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 30000"); // the server's writer may hold the lock for a commit
        }
        return c;
    }
}
