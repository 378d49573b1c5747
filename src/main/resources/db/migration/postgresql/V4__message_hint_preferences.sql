-- The hint shown under a failed reply's error ("Try again later."), kept with the message so the
-- error card reads the same after a reload as it did live (the apperror event has it too).
ALTER TABLE messages ADD COLUMN hint text;

-- Each owner's preferences for the browser app, as in the SQLite schema (its V6).
CREATE TABLE preferences (
    owner         text PRIMARY KEY,
    theme         text NOT NULL,
    font_size     text NOT NULL,
    send_on_enter boolean NOT NULL,
    updated_at    timestamptz NOT NULL
);
