package dev.tether.torture;

import dev.tether.support.TestStore;
import dev.tether.torture.StoreSnapshot.TurnRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Several Tether processes on one PostgreSQL database (each its own data dir under the run's), as
 * instances behind a load balancer without sticky sessions: every request goes to an instance
 * chosen at random among those up, so a turn is started on one, streamed from another, stopped
 * through a third. A kill hits one instance at random; its turns must be taken over (ended
 * {@code interrupted}) by the time it is back, while the others' run on.
 *
 * <p>Threading: {@link #kill()} and {@link #restart()} are called by the one killer thread; the
 * node list is fixed, and what changes is read through volatile fields.
 */
final class ClusterTarget implements KillableTarget {
    /** Short leases, so that an instance that stops answering is fenced within a few seconds. */
    private static final String LEASE_MS = "3000";

    private final Path dir;
    private final TestStore store;
    private final List<ProcessTarget> nodes = new ArrayList<>();
    private final Random killer;
    private volatile int epoch;
    private volatile int killed = -1;
    private volatile String killedInstance;

    ClusterTarget(Path dir, TestStore store, Map<String, String> env, int size, long seed) {
        if (!(store instanceof TestStore.Postgres)) {
            throw new IllegalArgumentException("several instances share a PostgreSQL database: run with --store postgresql");
        }
        this.dir = dir;
        this.store = store;
        this.killer = new Random(seed ^ 0x636c7573L);
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("TETHER_INSTANCE_LEASE_MS", LEASE_MS);
        for (int i = 0; i < size; i++) {
            nodes.add(new ProcessTarget(nodeDir(i), store, nodeEnv));
        }
    }

    private Path nodeDir(int i) {
        try {
            return Files.createDirectories(dir.resolve("node-" + i));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An instance that is up, at random (the first, if none is: that request then fails across a kill). */
    @Override
    public String baseUrl() {
        List<ProcessTarget> up = nodes.stream().filter(ProcessTarget::isUp).toList();
        return up.isEmpty() ? nodes.getFirst().baseUrl() : up.get(ThreadLocalRandom.current().nextInt(up.size())).baseUrl();
    }

    @Override
    public List<String> baseUrls() {
        return nodes.stream().map(ProcessTarget::baseUrl).toList();
    }

    @Override
    public void kill() {
        int victim = killer.nextInt(nodes.size());
        ProcessTarget node = nodes.get(victim);
        killedInstance = instanceOf(node.pid());
        killed = victim;
        epoch++;
        node.kill();
    }

    @Override
    public void restart() {
        nodes.get(killed).restart();
    }

    /** The killed instance's turns; a turn from before it registered (none here) counts as its too. */
    @Override
    public Predicate<TurnRow> diedWithLastKill() {
        String instance = killedInstance;
        return t -> t.instanceId() == null || t.instanceId().equals(instance);
    }

    /** The instance id a process registered under (its row describes it by PID). */
    private String instanceOf(long pid) {
        try (Connection c = store.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM instances WHERE description LIKE ?")) {
            ps.setString(1, "pid " + pid + " %");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the instances: " + e, e);
        }
    }

    @Override
    public int externalKills() {
        return nodes.stream().mapToInt(ProcessTarget::externalKills).sum();
    }

    @Override
    public Path dataDir() {
        return dir;
    }

    @Override
    public TestStore store() {
        return store;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    /** Up while any instance is: a request goes only to one that is up. */
    @Override
    public boolean isUp() {
        return nodes.stream().anyMatch(ProcessTarget::isUp);
    }

    @Override
    public long pid() {
        return nodes.getFirst().pid();
    }

    @Override
    public void close() {
        nodes.forEach(ProcessTarget::close);
    }
}
