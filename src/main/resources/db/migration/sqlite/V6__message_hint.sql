-- The hint shown under a failed reply's error ("Try again later."), kept with the message so the
-- error card reads the same after a reload as it did live (the apperror event has it too).
ALTER TABLE messages ADD COLUMN hint TEXT;
