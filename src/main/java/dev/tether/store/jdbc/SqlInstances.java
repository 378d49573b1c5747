package dev.tether.store.jdbc;

import dev.tether.session.Fence;
import dev.tether.session.Instances;
import dev.tether.session.Turn;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Instances} as SQL every store shares. A database supplies how a lease's end is written
 * (in its own clock where it has one) and which other instances are dead. A fenced instance keeps
 * its row with no lease, so its epoch is never handed out again while anything could carry it.
 */
public abstract class SqlInstances implements Instances {
    /** How long a fenced instance's row stays once none of its turns runs (its id is never reused). */
    static final Duration KEEP_FENCED = Duration.ofDays(7);

    protected final SqlExecutor db;
    protected final Rows rows;

    protected SqlInstances(SqlExecutor db) {
        this.db = db;
        this.rows = new Rows(db.columns());
    }

    /** SQL for "now plus {@code ?} milliseconds" in the lease column's terms; binds one parameter. */
    protected abstract String leaseEnd();

    /** The parameter {@link #leaseEnd} binds for a lease of {@code lease}. */
    protected abstract Object leaseParameter(Duration lease);

    /** The key of the lock a registering instance holds while its process lives (0: none). */
    protected long lockKey(String id) {
        return 0;
    }

    @Override
    public Fence register(String id, String description, Duration lease) {
        long key = lockKey(id);
        return db.write(sql -> new Fence(id, sql.one("INSERT INTO instances AS i (id, epoch, lease_until, lock_key,"
                + " description, started_at) VALUES (?, 1, " + leaseEnd() + ", ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET epoch = i.epoch + 1, lease_until = excluded.lease_until,"
                + " lock_key = excluded.lock_key RETURNING epoch", r -> r.getLong(1),
                id, leaseParameter(lease), key, description, Instant.now()).orElseThrow()));
    }

    @Override
    public boolean renew(Fence fence, Duration lease) {
        return db.write(sql -> sql.update("UPDATE instances SET lease_until = " + leaseEnd()
                + " WHERE id = ? AND epoch = ? AND lease_until IS NOT NULL",
                leaseParameter(lease), fence.instance(), fence.epoch())) == 1;
    }

    @Override
    public List<Fence> fenceDead(Fence self) {
        return db.write(sql -> {
            List<Fence> fenced = new ArrayList<>();
            for (Fence other : dead(sql, self)) {
                if (sql.update("UPDATE instances SET epoch = epoch + 1, lease_until = NULL"
                        + " WHERE id = ? AND epoch = ?", other.instance(), other.epoch()) == 1) {
                    fenced.add(other);
                }
            }
            sql.update("DELETE FROM instances WHERE lease_until IS NULL AND started_at < ? AND NOT EXISTS"
                    + " (SELECT 1 FROM turns t WHERE t.instance_id = instances.id AND t.state = 'running')",
                    Instant.now().minus(KEEP_FENCED));
            return fenced;
        });
    }

    /** The other instances that are dead, as read in {@code sql}'s transaction, with the epoch each had. */
    protected abstract List<Fence> dead(Sql sql, Fence self) throws SQLException;

    @Override
    public List<Turn> orphanedTurns() {
        return db.read(sql -> sql.query("SELECT t.* FROM turns t LEFT JOIN instances i ON i.id = t.instance_id"
                + " WHERE t.state = 'running' AND (i.id IS NULL OR t.instance_epoch IS NULL"
                + " OR i.epoch <> t.instance_epoch) ORDER BY t.started_at", rows.turn));
    }

    @Override
    public void retire(Fence self) {
        db.write(sql -> sql.update("DELETE FROM instances WHERE id = ? AND epoch = ?", self.instance(), self.epoch()));
    }
}
