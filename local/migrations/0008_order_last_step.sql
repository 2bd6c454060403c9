-- The order step the user was on, so Resume opens there (0 = not recorded: the provider step).
ALTER TABLE orders ADD COLUMN last_step INTEGER NOT NULL DEFAULT 0;
