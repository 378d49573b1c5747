package dev.tether.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh, empty PostgreSQL databases for tests, each dropped again when the test closes it. They live
 * on the machine's server at 127.0.0.1:5432 (trust auth, user {@code postgres}) as CI has it; where
 * nothing listens there (a developer's laptop), on one embedded server (zonky) started for this JVM
 * instead: a store test never skips for want of a database. {@code -Dtether.test.embeddedPostgres=true}
 * takes the embedded server even when the machine has one.
 *
 * <p>Threading: the server is chosen once, under the class lock.
 */
public final class TestPostgres {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;
    public static final String USER = "postgres";

    private static int port; // Guarded by TestPostgres.class; 0 until a server was chosen

    private TestPostgres() {}

    /** A new database, named {@code tether_test_<random>}; closing it drops it (and ends its connections). */
    public static Fresh database() {
        String name = "tether_test_" + UUID.randomUUID().toString().replace("-", "");
        int serverPort = serverPort();
        admin(serverPort, "CREATE DATABASE " + name);
        return new Fresh("jdbc:postgresql://" + HOST + ":" + serverPort + "/" + name, serverPort, name);
    }

    /** A database of the test's own: its JDBC URL, for user {@link #USER} without a password. */
    public record Fresh(String jdbcUrl, int port, String name) implements AutoCloseable {
        @Override
        public void close() {
            admin(port, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static synchronized int serverPort() {
        if (port == 0) {
            port = !Boolean.getBoolean("tether.test.embeddedPostgres") && listening() ? PORT : embedded();
        }
        return port;
    }

    private static boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int embedded() {
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the server's files are temporary
                }
            }));
            return server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL at " + HOST + ":" + PORT + " and the embedded one did not start", e);
        }
    }

    private static void admin(int serverPort, String statement) {
        String url = "jdbc:postgresql://" + HOST + ":" + serverPort + "/postgres";
        try (Connection c = DriverManager.getConnection(url, USER, null); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed: " + e.getMessage(), e);
        }
    }
}
