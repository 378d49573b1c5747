-- API tokens may expire (expires_at, NULL: never) and may be read-only (refused on every
-- state-changing route). Logins past their expiry are deleted when someone logs in; the index
-- finds them without reading every login.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
CREATE INDEX logins_by_expiry ON logins (expires_at);
