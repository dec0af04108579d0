-- The queue store per relayed message (issue 11), PostgreSQL twin of db/sqlite/messages-queue.sql:
-- the (account_id, guid) key only cost an index insert per envelope. Guids are random UUIDs the
-- server makes, nobody looks a row up by guid alone, and an ack by guid is scoped to its device's
-- queue (the primary key's (account_id, device_id) prefix); the delivery connection acks by queue id.
-- The identity column stays: on several nodes ids must come from the shared sequence.
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_account_id_guid_key;
