-- How many turns each session has started. A session's transcript changes only when one of its
-- turns starts or ends, and a turn can only end after it started, so while a session is idle this
-- count versions its transcript: a turn's worker reads the history while its start is still being
-- decided, and uses it only if the start shows exactly one more turn than the history it read
-- (TurnRunner). Kept by the statement that activates a turn.
ALTER TABLE sessions ADD COLUMN turn_count INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET turn_count = (SELECT count(*) FROM turns WHERE turns.session_id = sessions.id);
