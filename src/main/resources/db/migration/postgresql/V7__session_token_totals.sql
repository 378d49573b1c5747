-- Each session's token totals: the sum of its replies' usage (input and output tokens), kept by the
-- transition that ends a turn (session.Transitions#end) in the same statement that frees the
-- session, so a list of sessions shows them without reading any message. Sessions from before
-- are counted once here from their replies' usage_json (written by Tether, so valid JSON).
ALTER TABLE sessions ADD COLUMN input_tokens bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN output_tokens bigint NOT NULL DEFAULT 0;
UPDATE sessions SET
    input_tokens = t.input_tokens,
    output_tokens = t.output_tokens
FROM (SELECT session_id,
             coalesce(sum((usage_json::jsonb ->> 'input_tokens')::bigint), 0) AS input_tokens,
             coalesce(sum((usage_json::jsonb ->> 'output_tokens')::bigint), 0) AS output_tokens
      FROM messages WHERE usage_json IS NOT NULL GROUP BY session_id) AS t
WHERE sessions.id = t.session_id;
