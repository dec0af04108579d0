-- Messages feature: one queue per destination device. The server stores ciphertext only.
-- id is the queue order (AUTOINCREMENT so an id is never reused, even after the newest row is
-- acked and deleted: a delivery loop pages with "id > last sent id" and must never skip a row).
-- account_id/device_id name the destination device; source_* the sending device.
-- The accounts feature deletes an account's queues with DELETE FROM messages WHERE account_id = ?
-- when a handle re-registers, so these column names are shared with it.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        TEXT NOT NULL,
    device_id         INTEGER NOT NULL,
    guid              TEXT NOT NULL UNIQUE,
    source_account_id TEXT NOT NULL,
    source_device_id  INTEGER NOT NULL,
    type              TEXT NOT NULL,
    content           BLOB NOT NULL,
    client_timestamp  INTEGER NOT NULL,
    server_timestamp  INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL
);
-- Paging a device's queue in order, and the device-scoped delete on ack.
CREATE INDEX messages_by_device ON messages(account_id, device_id, id);
-- The TTL purge.
CREATE INDEX messages_by_expiry ON messages(expires_at);
