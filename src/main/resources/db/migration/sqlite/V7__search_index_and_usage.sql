-- What each session's messages take (bytes of content and reasoning, as UTF-8), for the per-user
-- quota (TETHER_QUOTA_BYTES): summing a user's messages at every send would read all of them.
-- Kept by the triggers below, so every write of a message (a turn's end, an edit's truncation, an
-- import, a migration) keeps it, whichever code path it comes from.
ALTER TABLE sessions ADD COLUMN content_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET content_bytes = (SELECT coalesce(sum(length(CAST(m.content AS BLOB))
        + coalesce(length(CAST(m.reasoning AS BLOB)), 0)), 0) FROM messages m WHERE m.session_id = sessions.id);

-- The full-text index of message content that search (GET /api/sessions?q=) reads instead of
-- scanning every message. Trigram tokens keep the listing's meaning (the text occurs anywhere in a
-- message, case-insensitively) for searches of three characters or more. Contentless: the text
-- is not stored twice, only its index. FTS5 needs an integer key per row, which messages (keyed by
-- session and index, WITHOUT ROWID) lack, so search_keys gives each message one.
-- Both are derived from messages: migrate does not copy them, a backup carries them as they are.
CREATE TABLE search_keys (
    key        INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    UNIQUE (session_id, idx)
);
CREATE VIRTUAL TABLE message_search USING fts5 (content, content = '', tokenize = 'trigram');

INSERT INTO search_keys (session_id, idx) SELECT session_id, idx FROM messages ORDER BY session_id, idx;
INSERT INTO message_search (rowid, content)
    SELECT k.key, m.content FROM search_keys k JOIN messages m ON m.session_id = k.session_id AND m.idx = k.idx;

-- A contentless index forgets a row only when told the text it indexed: the delete passes OLD.content.
-- These also run for the messages a session's deletion cascades to.
CREATE TRIGGER messages_insert_indexed AFTER INSERT ON messages
BEGIN
    INSERT INTO search_keys (session_id, idx) VALUES (NEW.session_id, NEW.idx);
    INSERT INTO message_search (rowid, content) VALUES (last_insert_rowid(), NEW.content);
    UPDATE sessions SET content_bytes = content_bytes + length(CAST(NEW.content AS BLOB))
        + coalesce(length(CAST(NEW.reasoning AS BLOB)), 0) WHERE id = NEW.session_id;
END;

CREATE TRIGGER messages_delete_indexed AFTER DELETE ON messages
BEGIN
    INSERT INTO message_search (message_search, rowid, content)
        SELECT 'delete', key, OLD.content FROM search_keys WHERE session_id = OLD.session_id AND idx = OLD.idx;
    DELETE FROM search_keys WHERE session_id = OLD.session_id AND idx = OLD.idx;
    UPDATE sessions SET content_bytes = content_bytes - length(CAST(OLD.content AS BLOB))
        - coalesce(length(CAST(OLD.reasoning AS BLOB)), 0) WHERE id = OLD.session_id;
END;

-- Tether never rewrites a message in place today; this keeps the index and the count right if it does.
CREATE TRIGGER messages_update_indexed AFTER UPDATE OF content, reasoning ON messages
BEGIN
    INSERT INTO message_search (message_search, rowid, content)
        SELECT 'delete', key, OLD.content FROM search_keys WHERE session_id = OLD.session_id AND idx = OLD.idx;
    INSERT INTO message_search (rowid, content)
        SELECT key, NEW.content FROM search_keys WHERE session_id = NEW.session_id AND idx = NEW.idx;
    UPDATE sessions SET content_bytes = content_bytes
        + length(CAST(NEW.content AS BLOB)) + coalesce(length(CAST(NEW.reasoning AS BLOB)), 0)
        - length(CAST(OLD.content AS BLOB)) - coalesce(length(CAST(OLD.reasoning AS BLOB)), 0)
        WHERE id = NEW.session_id;
END;

-- The quota adds up a user's attachments too.
CREATE INDEX attachments_by_owner ON attachments (owner);
