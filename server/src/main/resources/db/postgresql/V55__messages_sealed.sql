-- Sealed sender (issue 14). PostgreSQL twin of db/sqlite/messages-sealed.sql: a sealed envelope is
-- stored with no source at all, so the source columns become nullable.
ALTER TABLE messages ALTER COLUMN source_account_id DROP NOT NULL;
ALTER TABLE messages ALTER COLUMN source_device_id DROP NOT NULL;
