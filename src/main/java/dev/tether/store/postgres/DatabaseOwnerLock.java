package dev.tether.store.postgres;

import dev.tether.config.CannotStart;
import dev.tether.config.DatabaseUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL database belongs to one Tether, as a data dir does ({@code DataDirLock}): boot
 * recovery ends every turn the store holds as running, so a second server on the same database
 * would end the first one's live turns. The lock is a session-level advisory lock on a connection
 * of its own, opened before anything reads or writes the store and held open for the process's
 * life (a pooled connection could be recycled and drop it). The server releases it when that
 * connection ends, the holder's death included. The connection's application name says who holds
 * it, so that a refused process can name the holder's PID and host.
 *
 * <p>Threading: the connection is used at acquire and close only, both on the caller's thread.
 */
public final class DatabaseOwnerLock implements AutoCloseable {
    /** The advisory lock's key, the same for every Tether: "Tether" in ASCII. */
    static final long KEY = 0x546574686572L;
    private static final String NAME_PREFIX = "tether owner ";
    static final int OLDEST_SERVER = 130000;

    private final Connection connection;

    private DatabaseOwnerLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Connects, checks the server's version and takes the database.
     *
     * @throws InUse another Tether holds it (the message names its PID and host)
     * @throws CannotStart the server cannot be reached, refuses the login, has no such database or is too old
     */
    public static DatabaseOwnerLock acquire(DatabaseUrl url) {
        Connection c = connect(url);
        try {
            try (ResultSet rs = c.createStatement().executeQuery("SHOW server_version_num")) {
                rs.next();
                if (Integer.parseInt(rs.getString(1).trim()) < OLDEST_SERVER) {
                    throw new CannotStart("PostgreSQL at " + url.shown() + " is version "
                            + c.getMetaData().getDatabaseProductVersion() + "; Tether needs 13 or newer");
                }
            }
            try (PreparedStatement take = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                take.setLong(1, KEY);
                try (ResultSet rs = take.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new InUse(url, holder(c));
                    }
                }
            }
            return new DatabaseOwnerLock(c);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof CannotStart refused) {
                throw refused;
            }
            throw new CannotStart("cannot take the database " + url.shown() + ": " + e.getMessage(), e);
        }
    }

    /** Another Tether, in this process or another, holds the database. */
    public static final class InUse extends CannotStart {
        InUse(DatabaseUrl url, String holder) {
            super("database " + url.shown() + " is in use by another Tether (" + holder + ")");
        }
    }

    private static Connection connect(DatabaseUrl url) {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", NAME_PREFIX + "pid " + ProcessHandle.current().pid() + " on host " + host());
        p.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(url.jdbcUrl(), p);
        } catch (SQLException e) {
            throw new CannotStart(PostgresFailures.connecting(url, e), e);
        }
    }

    /** "pid N on host H" from the holder's connection, or a vaguer phrase if it cannot be read. */
    private static String holder(Connection c) throws SQLException {
        String sql = "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.classid = ? AND l.objid = ? AND l.objsubid = 1";
        try (PreparedStatement find = c.prepareStatement(sql)) {
            find.setLong(1, KEY >>> 32);
            find.setLong(2, KEY & 0xFFFFFFFFL);
            try (ResultSet rs = find.executeQuery()) {
                String name = rs.next() ? rs.getString(1) : null;
                return name != null && name.startsWith(NAME_PREFIX) ? name.substring(NAME_PREFIX.length())
                        : "its PID and host are not visible to this user";
            }
        }
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 30 ? name.substring(0, 30) : name; // application names stop at 63 bytes
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the server ends the session, and the lock with it, when the socket goes
        }
    }

    /** Releases the lock by ending its session. */
    @Override
    public void close() {
        closeQuietly(connection);
    }
}
