-- People who may log in, their login cookies and API tokens, and attachments' metadata, as in the
-- SQLite schema (its V1 and V2) in PostgreSQL's types. Sessions.owner holds users.id (or 'local').
-- Names compare case-insensitively: unique on lower(name), looked up by lower(name).
CREATE TABLE users (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    password_hash text NOT NULL,
    admin         boolean NOT NULL DEFAULT false,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_by_name ON users (lower(name));

-- Login cookies, stored as SHA-256 of a 256-bit secret.
CREATE TABLE logins (
    token_hash text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX logins_by_user ON logins (user_id);

-- Personal access tokens for scripts, stored hashed; revoked ones are kept for the record.
CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Attachments' metadata; the bytes are files named by id in the data dir.
CREATE TABLE attachments (
    id         text PRIMARY KEY,
    owner      text NOT NULL,
    session_id text,
    filename   text NOT NULL,
    mime       text NOT NULL,
    size       bigint NOT NULL,
    created_at timestamptz NOT NULL
);
