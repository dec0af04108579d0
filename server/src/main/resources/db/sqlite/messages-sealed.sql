-- Sealed sender (issue 14): a sealed envelope is stored with no source at all, so the source columns
-- become nullable. SQLite cannot drop a NOT NULL constraint, hence the usual rebuild: a new table,
-- the rows copied, the old one dropped and the new one renamed. The AUTOINCREMENT counter is carried
-- over so that no queue id is ever reused (delivery pages with "id > last sent id").
CREATE TABLE messages_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        TEXT NOT NULL,
    device_id         INTEGER NOT NULL,
    guid              TEXT NOT NULL UNIQUE,
    source_account_id TEXT NULL,
    source_device_id  INTEGER NULL,
    type              TEXT NOT NULL,
    content           BLOB NOT NULL,
    client_timestamp  INTEGER NOT NULL,
    server_timestamp  INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL
);
INSERT INTO messages_rebuilt (id, account_id, device_id, guid, source_account_id, source_device_id, type, content,
                              client_timestamp, server_timestamp, expires_at)
    SELECT id, account_id, device_id, guid, source_account_id, source_device_id, type, content,
           client_timestamp, server_timestamp, expires_at FROM messages;
DELETE FROM sqlite_sequence WHERE name = 'messages_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_rebuilt', seq FROM sqlite_sequence WHERE name = 'messages';
DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;
CREATE INDEX messages_by_device ON messages(account_id, device_id, id);
CREATE INDEX messages_by_expiry ON messages(expires_at);
