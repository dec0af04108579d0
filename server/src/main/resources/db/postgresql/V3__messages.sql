-- Messages feature: one queue per destination device. The server stores ciphertext only.
-- PostgreSQL twin of db/sqlite/messages.sql.
-- id is the queue order, from an identity column (a sequence never hands a value out twice, so
-- an id is never reused). A delivery loop pages with "id > last sent id", which needs ids of one
-- device's queue to become visible in id order: inserts into the same queue hold a transaction
-- lock on that queue (JdbcMessageStore), so the next id is drawn only after the previous insert
-- committed.
-- account_id/device_id name the destination device; source_* the sending device. account_id
-- leads the primary key and the guid key so the table can be distributed by account.
CREATE TABLE messages (
    id                BIGINT GENERATED ALWAYS AS IDENTITY,
    account_id        TEXT NOT NULL,
    device_id         INTEGER NOT NULL,
    guid              TEXT NOT NULL,
    source_account_id TEXT NOT NULL,
    source_device_id  INTEGER NOT NULL,
    type              TEXT NOT NULL,
    content           BYTEA NOT NULL,
    client_timestamp  BIGINT NOT NULL,
    server_timestamp  BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    -- Paging a device's queue in order.
    PRIMARY KEY (account_id, device_id, id),
    -- Guids are random UUIDs made by the server; this also serves the device-scoped delete on ack.
    UNIQUE (account_id, guid)
);
-- The TTL purge.
CREATE INDEX messages_by_expiry ON messages(expires_at);
