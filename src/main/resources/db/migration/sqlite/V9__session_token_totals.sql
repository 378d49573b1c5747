-- Each session's token totals: the sum of its replies' usage (input and output tokens), kept by the
-- transition that ends a turn (session.Transitions#end) in the same statement that frees the
-- session, so a list of sessions shows them without reading any message. Sessions from before
-- are counted once here from their replies' usage_json.
ALTER TABLE sessions ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET
    input_tokens = (SELECT coalesce(sum(CAST(json_extract(usage_json, '$.input_tokens') AS INTEGER)), 0)
                    FROM messages WHERE messages.session_id = sessions.id AND json_valid(usage_json)),
    output_tokens = (SELECT coalesce(sum(CAST(json_extract(usage_json, '$.output_tokens') AS INTEGER)), 0)
                     FROM messages WHERE messages.session_id = sessions.id AND json_valid(usage_json));
