-- What each session's messages take (bytes of content and reasoning), for the per-user quota
-- (TETHER_QUOTA_BYTES), kept by a trigger as on SQLite (its V7): every write of a message keeps it.
ALTER TABLE sessions ADD COLUMN content_bytes bigint NOT NULL DEFAULT 0;
UPDATE sessions SET content_bytes = (SELECT coalesce(sum(octet_length(m.content)
        + coalesce(octet_length(m.reasoning), 0)), 0) FROM messages m WHERE m.session_id = sessions.id);

CREATE FUNCTION messages_count_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE sessions SET content_bytes = content_bytes - octet_length(OLD.content)
            - coalesce(octet_length(OLD.reasoning), 0) WHERE id = OLD.session_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE sessions SET content_bytes = content_bytes + octet_length(NEW.content)
            + coalesce(octet_length(NEW.reasoning), 0) WHERE id = NEW.session_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER messages_count_bytes AFTER INSERT OR DELETE OR UPDATE OF content, reasoning ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_count_bytes();

-- The quota adds up a user's attachments too.
CREATE INDEX attachments_by_owner ON attachments (owner);

-- Search (GET /api/sessions?q=) matches message content with ILIKE '%text%'; a trigram index
-- (pg_trgm) answers that for texts of three characters or more without reading every message.
-- pg_trgm ships with PostgreSQL's contrib and is a trusted extension (the database's owner may
-- create it); where it is missing or may not be created, the schema goes on without the index and
-- searches read the messages, still under the search time limit (docs/security.md).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX messages_content_trgm ON messages USING gin (content gin_trgm_ops);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pg_trgm could not be created: searches read every message of the user';
        END;
    END IF;
END;
$$;
