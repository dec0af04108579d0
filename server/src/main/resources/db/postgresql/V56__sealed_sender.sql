-- Sealed-sender feature. PostgreSQL twin of db/sqlite/sealedsender.sql: the unidentified access
-- key of each account that uploaded one. A sealed send to the account must present it (compared in
-- constant time) unless unrestricted is true.
CREATE TABLE sealed_sender_access (
    account_id   TEXT PRIMARY KEY,
    access_key   BYTEA NOT NULL,
    unrestricted BOOLEAN NOT NULL,
    updated_at   BIGINT NOT NULL
);
