package dev.tether.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several Tether processes sharing one fresh PostgreSQL database, each with a data dir and a port
 * of its own, as instances behind a load balancer without sticky sessions. Leases are short
 * ({@link #LEASE_MS}) so that a dead instance is taken over within a test's patience; demo replies
 * are slow enough to be interrupted mid-way.
 */
public final class Cluster implements AutoCloseable {
    public static final int LEASE_MS = 2000;

    private final TestPostgres.Fresh db;
    private final List<ServerProcess> nodes = new ArrayList<>();

    private Cluster(TestPostgres.Fresh db) {
        this.db = db;
    }

    /** {@code size} instances on a new database; the first is started alone (it creates the schema). */
    public static Cluster start(int size) {
        Cluster c = new Cluster(TestPostgres.database());
        try {
            for (int i = 0; i < size; i++) {
                c.nodes.add(c.launch());
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private ServerProcess launch() {
        try {
            return ServerProcess.start(Files.createTempDirectory("tether-node"), env());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TETHER_DATABASE_URL", "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + db.port() + "/" + db.name());
        env.put("TETHER_DEMO_TOKEN_MS", "60");
        env.put("TETHER_HEARTBEAT_MS", "500");
        env.put("TETHER_INSTANCE_LEASE_MS", Integer.toString(LEASE_MS));
        return env;
    }

    public ServerProcess node(int i) {
        return nodes.get(i);
    }

    /** A client of instance {@code i}, with the Origin its own page would send. */
    public UserClient client(int i) {
        String base = node(i).baseUrl();
        return UserClient.anonymous(base).header("Origin", base);
    }

    /** Replaces instance {@code i} (killed or not) by a new process with a new data dir. */
    public ServerProcess restart(int i) {
        nodes.get(i).kill();
        ServerProcess fresh = launch();
        nodes.set(i, fresh);
        return fresh;
    }

    public TestPostgres.Fresh database() {
        return db;
    }

    @Override
    public void close() {
        nodes.forEach(ServerProcess::kill);
        db.close();
    }
}
