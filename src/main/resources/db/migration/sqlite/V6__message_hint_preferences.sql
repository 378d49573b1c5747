-- The hint shown under a failed reply's error ("Try again later."), kept with the message so the
-- error card reads the same after a reload as it did live (the apperror event has it too).
ALTER TABLE messages ADD COLUMN hint TEXT;

-- Each owner's preferences for the browser app (theme, font size, Enter to send), kept on the
-- server so another device shows the same. owner is a users.id or 'local' in the no-login mode,
-- which has no users row, so there is no foreign key (as with sessions.owner).
CREATE TABLE preferences (
    owner         TEXT PRIMARY KEY,
    theme         TEXT NOT NULL,
    font_size     TEXT NOT NULL,
    send_on_enter INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) WITHOUT ROWID;
