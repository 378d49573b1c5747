-- The MCP tools a session has enabled: a comma list of "<server>/<tool>" or "<server>/*" ids
-- (neither part holds a comma). Empty means none, a plain chat, as every session starts.
ALTER TABLE sessions ADD COLUMN tools TEXT NOT NULL DEFAULT '';
