package dev.tether.store.postgres;

import dev.tether.config.CannotStart;
import dev.tether.config.DatabaseUrl;
import dev.tether.session.InstanceBus;
import dev.tether.store.jdbc.SqlExecutor;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's own connection to PostgreSQL, outside the pool: it holds the instance's presence
 * (an advisory lock, free the moment the process dies: see {@link PostgresInstances}) and listens
 * for the other instances' wake-ups ({@link TurnNotices} on {@code tether_turns}, session changes on
 * {@code tether_sessions}). When the connection breaks it is made again, the lock and the listening
 * taken again, and the listener told that wake-ups may have been missed.
 *
 * <p>Threading: the connection is used by the {@code instance-bus} thread only, after {@link #open}
 * on the caller's; {@code listener} is set before that thread starts. Session wake-ups go out
 * through {@code outbox} (a concurrent queue) and the {@code instance-bus-sender} thread.
 */
public final class PostgresBus implements InstanceBus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBus.class);
    static final String SESSIONS = "tether_sessions";
    static final int OLDEST_SERVER = 130000;
    private static final int POLL_MS = 500;

    private final DatabaseUrl url;
    private final String instanceId;
    private volatile SqlExecutor db;
    private volatile boolean closed;
    private Connection connection;
    private final LinkedBlockingQueue<String> outbox = new LinkedBlockingQueue<>(10_000);
    private Listener listener;
    private Thread thread;
    private Thread sender;

    private PostgresBus(DatabaseUrl url, String instanceId) {
        this.url = url;
        this.instanceId = instanceId;
    }

    /**
     * Connects, checks the server's version and takes instance {@code instanceId}'s presence lock,
     * before anything else touches the database (so an unusable server is one clear line, and no one
     * sees the instance's row without its lock).
     *
     * @throws CannotStart the server cannot be reached, refuses the login, has no such database or is too old
     */
    public static PostgresBus open(DatabaseUrl url, String instanceId) {
        PostgresBus bus = new PostgresBus(url, instanceId);
        try {
            bus.connection = bus.connect();
        } catch (SQLException e) {
            throw new CannotStart("cannot use the database " + url.shown() + ": " + e.getMessage(), e);
        }
        return bus;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", "tether instance pid " + ProcessHandle.current().pid() + " on " + host());
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        Connection c;
        try {
            c = DriverManager.getConnection(url.jdbcUrl(), p);
        } catch (SQLException e) {
            throw new CannotStart(PostgresFailures.connecting(url, e), e);
        }
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW server_version_num")) {
                rs.next();
                if (Integer.parseInt(rs.getString(1).trim()) < OLDEST_SERVER) {
                    throw new CannotStart("PostgreSQL at " + url.shown() + " is version "
                            + c.getMetaData().getDatabaseProductVersion() + "; Tether needs 13 or newer");
                }
            }
            s.execute("SELECT pg_advisory_lock(" + PostgresInstances.key(instanceId) + ")");
            s.execute("LISTEN " + TurnNotices.CHANNEL);
            s.execute("LISTEN " + SESSIONS);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Where session wake-ups are sent from (the pool: the bus's own connection belongs to its listening thread). */
    public void sendThrough(SqlExecutor executor) {
        this.db = executor;
    }

    @Override
    public void listen(Listener l) {
        this.listener = l;
        this.thread = Thread.ofPlatform().daemon().name("instance-bus").start(this::loop);
        this.sender = Thread.ofPlatform().daemon().name("instance-bus-sender").start(this::send);
    }

    /**
     * Queued, and sent by the sender thread in batches (one transaction each), so that a start or an
     * ending never waits for it. A full queue drops the wake-up: sidebars elsewhere then catch up at
     * their next change.
     */
    @Override
    public void sessionChanged(String owner, String sessionId, String reason) {
        String payload = String.join(" ", encode(instanceId), encode(reason), encode(owner), encode(sessionId));
        if (!outbox.offer(payload)) {
            LOG.debug("instance bus outbox full; dropped a session wake-up");
        }
    }

    private void send() {
        List<String> batch = new ArrayList<>();
        while (!closed) {
            try {
                String first = outbox.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, 255);
                db.write(sql -> {
                    for (String payload : batch) {
                        sql.one("SELECT pg_notify(?, ?)", rs -> 1, SESSIONS, payload);
                    }
                    return null;
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("could not send session wake-ups: {}", e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void loop() {
        while (!closed) {
            try {
                if (connection == null) {
                    connection = connect();
                    LOG.info("instance bus connected again");
                    listener.missed();
                }
                PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications(POLL_MS);
                if (received != null) {
                    for (PGNotification n : received) {
                        deliver(n);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("instance bus connection lost; connecting again: {}", e.toString());
                closeQuietly();
                pause();
            }
        }
    }

    private void deliver(PGNotification n) {
        if (n.getName().equals(TurnNotices.CHANNEL)) {
            TurnNotices.deliver(n.getParameter(), listener);
            return;
        }
        String[] f = n.getParameter().split(" ");
        if (n.getName().equals(SESSIONS) && f.length == 4 && !decode(f[0]).equals(instanceId)) {
            listener.sessionChanged(decode(f[2]), decode(f[3]), decode(f[1]));
        }
    }

    /** A second between attempts to connect again: the server is restarting or unreachable. */
    private void pause() {
        try {
            Thread.sleep(1000); // pacing reconnect attempts, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server ends the session, and the lock with it, when the socket goes
            }
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 30 ? name.substring(0, 30) : name; // application names stop at 63 bytes
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** Ends the connection, and the presence lock with it (stopping the threads first if they run). */
    @Override
    public void close() {
        stop();
        closeQuietly();
    }

    /** Stops listening and sending; the connection, and this instance's presence, stay until {@link #close}. */
    public void stop() {
        closed = true;
        for (Thread t : new Thread[] {thread, sender}) {
            if (t != null) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
