-- Sessions and their transcripts. active_turn is the one turn allowed to write the transcript;
-- it changes only by compare-and-set (UPDATE ... WHERE active_turn IS <expected>).
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,
    title           TEXT NOT NULL,
    model           TEXT NOT NULL,
    pinned          INTEGER NOT NULL DEFAULT 0,
    archived        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_message_at INTEGER,
    active_turn     TEXT,
    message_count   INTEGER NOT NULL DEFAULT 0,
    next_queue_pos  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sessions_by_owner ON sessions (owner, updated_at);

CREATE TABLE messages (
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    role        TEXT NOT NULL,
    content     TEXT NOT NULL,
    reasoning   TEXT,
    mark        TEXT,
    error       TEXT,
    usage_json  TEXT,
    attachments TEXT,
    turn_id     TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (session_id, idx)
) WITHOUT ROWID;

CREATE TABLE turns (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    owner             TEXT NOT NULL,
    state             TEXT NOT NULL,
    client_message_id TEXT,
    user_message_idx  INTEGER NOT NULL,
    model             TEXT NOT NULL,
    started_at        INTEGER NOT NULL,
    ended_at          INTEGER
);
CREATE UNIQUE INDEX turns_by_client_message ON turns (session_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
CREATE INDEX turns_running ON turns (state) WHERE state = 'running';
CREATE INDEX turns_by_session ON turns (session_id);

-- The durable turn log: gapless seq per turn, written in batches and always with the terminal event.
CREATE TABLE turn_events (
    turn_id TEXT NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (turn_id, seq)
) WITHOUT ROWID;

-- Messages sent while a turn ran; the head starts in the transaction that ends the running turn.
CREATE TABLE queued (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    content           TEXT NOT NULL,
    model             TEXT NOT NULL,
    client_message_id TEXT,
    attachments       TEXT,
    created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX queued_by_client_message ON queued (session_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
CREATE INDEX queued_by_session ON queued (session_id, position);

CREATE TABLE attachments (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    session_id TEXT,
    filename   TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
