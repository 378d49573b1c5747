-- The instances that ran turns, and each turn's fencing token (instance and epoch), as on
-- PostgreSQL (see its V3). On SQLite only one process uses the data dir at a time (its lock), so
-- every instance but the running one is dead: boot takes over their turns with the same code
-- several PostgreSQL instances use for an expired lease. lease_until is epoch milliseconds here,
-- null once fenced.
CREATE TABLE instances (
    id          TEXT PRIMARY KEY,
    epoch       INTEGER NOT NULL,
    lease_until INTEGER,
    lock_key    INTEGER NOT NULL,
    description TEXT NOT NULL,
    started_at  INTEGER NOT NULL
);

ALTER TABLE turns ADD COLUMN instance_id TEXT;
ALTER TABLE turns ADD COLUMN instance_epoch INTEGER;
