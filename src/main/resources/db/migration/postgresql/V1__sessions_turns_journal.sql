-- Sessions and their transcripts, as the SQLite schema holds them after its V4, in PostgreSQL's
-- own types: instants are timestamptz, flags boolean, counters and keys bigint. Ids stay text:
-- they are UUIDs when Tether makes them, but an import or a client may bring its own.
-- active_turn is the one turn allowed to write the transcript; it changes only by compare-and-set
-- (UPDATE ... WHERE active_turn IS NOT DISTINCT FROM <expected>), on the row a transaction locked
-- when it read it (SELECT ... FOR UPDATE): steps on one session are serialised by that lock.
CREATE TABLE sessions (
    id              text PRIMARY KEY,
    owner           text NOT NULL,
    title           text NOT NULL,
    model           text NOT NULL,
    pinned          boolean NOT NULL DEFAULT false,
    archived        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    last_message_at timestamptz,
    active_turn     text,
    message_count   integer NOT NULL DEFAULT 0,
    -- How many turns the session has started: versions its transcript while it is idle (see the
    -- SQLite migration V4 and TurnRunner).
    turn_count      integer NOT NULL DEFAULT 0,
    next_queue_pos  bigint NOT NULL DEFAULT 1
);
CREATE INDEX sessions_by_owner ON sessions (owner, updated_at);

CREATE TABLE messages (
    session_id  text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    idx         integer NOT NULL,
    role        text NOT NULL,
    content     text NOT NULL,
    reasoning   text,
    mark        text,
    error       text,
    usage_json  text,
    attachments text,
    turn_id     text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (session_id, idx)
);

-- journal_key: the small integer the journal is keyed by (see turn_journal), from a sequence so
-- that concurrent starts on different sessions never compute the same one.
CREATE TABLE turns (
    id                text PRIMARY KEY,
    session_id        text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    owner             text NOT NULL,
    state             text NOT NULL,
    client_message_id text,
    user_message_idx  integer NOT NULL,
    model             text NOT NULL,
    started_at        timestamptz NOT NULL,
    ended_at          timestamptz,
    journal_key       bigint GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE UNIQUE INDEX turns_by_client_message ON turns (session_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
CREATE INDEX turns_running ON turns (state) WHERE state = 'running';
CREATE INDEX turns_by_session ON turns (session_id);

-- The durable turn log: gapless seq per turn, keyed by the turn's journal_key as on SQLite (every
-- streamed token is a row). No foreign key: a trigger deletes a turn's journal with the turn, as on
-- SQLite, so an insert checks no key in turns (not yet measured on PostgreSQL).
CREATE TABLE turn_journal (
    turn_key bigint NOT NULL,
    seq      bigint NOT NULL,
    name     text NOT NULL,
    data     text NOT NULL,
    PRIMARY KEY (turn_key, seq)
);

CREATE FUNCTION turns_delete_journal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM turn_journal WHERE turn_key = OLD.journal_key;
    RETURN OLD;
END;
$$;
CREATE TRIGGER turns_delete_journal AFTER DELETE ON turns
    FOR EACH ROW EXECUTE FUNCTION turns_delete_journal();

-- The journal as readable rows, for people inspecting the database.
CREATE VIEW turn_events (turn_id, seq, name, data) AS
    SELECT t.id, j.seq, j.name, j.data FROM turn_journal j JOIN turns t ON t.journal_key = j.turn_key;

-- Messages sent while a turn ran; the head starts in the transaction that ends the running turn.
CREATE TABLE queued (
    id                text PRIMARY KEY,
    session_id        text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position          bigint NOT NULL,
    content           text NOT NULL,
    model             text NOT NULL,
    client_message_id text,
    attachments       text,
    created_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX queued_by_client_message ON queued (session_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
CREATE INDEX queued_by_session ON queued (session_id, position);
