-- The queue store per relayed message (issue 11): an insert touched five B-trees (the rows, the
-- AUTOINCREMENT counter in sqlite_sequence, the guid UNIQUE index, the queue index and the expiry
-- index). Two of them only cost, hence the usual rebuild (a new table, the rows copied, the old one
-- dropped and the new one renamed), keeping every row and its id:
-- * no UNIQUE on guid: guids are random UUIDs the server makes (never taken from a client), nobody
--   looks a row up by guid alone, and an ack by guid is scoped to its device's queue anyway; the
--   delivery connection acks by queue id.
-- * no AUTOINCREMENT: the store hands out ids from memory (JdbcMessageStore.nextId), starting above
--   MAX(id) when the process opens the file; within a process an id is never handed out twice, even
--   after the newest row is acked or a transaction rolls back, which is what a delivery loop paging
--   with "id > last sent id" needs. No id outlives the process: delivery loops, hand-offs and the
--   store's remembered ids are in memory, and clients never see queue ids (they ack by guid).
CREATE TABLE messages_rebuilt (
    id                INTEGER PRIMARY KEY,
    account_id        TEXT NOT NULL,
    device_id         INTEGER NOT NULL,
    guid              TEXT NOT NULL,
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
DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;
-- Paging a device's queue in order, the device-scoped ack by guid, deleting a device's queue.
CREATE INDEX messages_by_device ON messages(account_id, device_id, id);
-- The TTL purge: a range of this index, instead of a walk of every row.
CREATE INDEX messages_by_expiry ON messages(expires_at);
