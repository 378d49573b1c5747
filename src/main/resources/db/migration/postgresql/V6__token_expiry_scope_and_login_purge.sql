-- As SQLite's V8: API tokens may expire (expires_at, NULL: never) and may be read-only; expired
-- logins are deleted when someone logs in, found through logins_by_expiry.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN read_only boolean NOT NULL DEFAULT false;
CREATE INDEX logins_by_expiry ON logins (expires_at);
