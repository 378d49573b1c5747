package dev.tether.store.postgres;

import dev.tether.session.Fence;
import dev.tether.store.jdbc.Sql;
import dev.tether.store.jdbc.SqlExecutor;
import dev.tether.store.jdbc.SqlInstances;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Instances on PostgreSQL, where several share the database. A lease is timed by the server's
 * clock. An instance is dead when its lease ran out, or at once when the advisory lock its
 * {@link InstancePresence} connection holds is free: the server drops a session whose process died,
 * and its locks with it (a process that is only paused keeps its connection, so it is fenced by its
 * lease). Trying the lock inside the fencing transaction ({@code pg_try_advisory_xact_lock}) takes it
 * only until that transaction ends.
 */
public final class PostgresInstances extends SqlInstances {

    public PostgresInstances(SqlExecutor db) {
        super(db);
    }

    /** The advisory lock key of instance {@code id}: derived from the id, so presence can take it before the row exists. */
    public static long key(String id) {
        return UUID.nameUUIDFromBytes(("tether instance " + id).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
    }

    @Override
    protected long lockKey(String id) {
        return key(id);
    }

    @Override
    protected String leaseEnd() {
        return "now() + ? * interval '1 millisecond'";
    }

    @Override
    protected Object leaseParameter(Duration lease) {
        return lease.toMillis();
    }

    @Override
    protected List<Fence> dead(Sql sql, Fence self) throws SQLException {
        record Other(Fence fence, long key, boolean expired) {}
        List<Other> others = sql.query("SELECT id, epoch, lock_key, lease_until < now() FROM instances"
                        + " WHERE id <> ? AND lease_until IS NOT NULL",
                rs -> new Other(new Fence(rs.getString(1), rs.getLong(2)), rs.getLong(3), rs.getBoolean(4)),
                self.instance());
        List<Fence> dead = new ArrayList<>();
        for (Other o : others) {
            if (o.expired() || sql.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), o.key())
                    .orElse(false)) {
                dead.add(o.fence());
            }
        }
        return dead;
    }
}
