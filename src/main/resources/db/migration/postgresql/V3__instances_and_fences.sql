-- Several Tether instances may share this database. Each registers a row here and renews its
-- lease (lease_until, in the database's clock, so instances never compare their own clocks). A
-- turn row names the instance that runs its worker and that instance's epoch when it started: its
-- fencing token. Every write of the worker (journal rows, its ending) is conditional on the token
-- still matching the instance's row, so an instance that was paused past its lease and comes back
-- writes nothing. Fencing a dead instance bumps its epoch and clears its lease (a compare-and-set
-- on the epoch that was read); its running turns are then taken over by whoever fenced it.
-- lock_key: the session-level advisory lock the instance holds while its connection lives, so
-- that a process that died is seen dead before its lease runs out.
CREATE TABLE instances (
    id          text PRIMARY KEY,
    epoch       bigint NOT NULL,
    lease_until timestamptz,
    lock_key    bigint NOT NULL,
    description text NOT NULL,
    started_at  timestamptz NOT NULL
);

-- Turns from before this migration have no instance: whoever takes over first ends them.
ALTER TABLE turns ADD COLUMN instance_id text;
ALTER TABLE turns ADD COLUMN instance_epoch bigint;

-- Attachment bytes live in the database, so that an upload through one instance is served by every
-- other with PostgreSQL as the only shared component (no shared file system to set up). Bytes
-- uploaded before this migration stay files in the data dir of the instance that took them; the
-- first read there moves them in here.
CREATE TABLE attachment_bytes (
    id   text PRIMARY KEY,
    data bytea NOT NULL
);
