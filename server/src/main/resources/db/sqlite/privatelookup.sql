-- The private lookup (docs/privacy.md, "Private lookup").
-- oprf_keys: the server's OPRF secret scalars (RFC 9497 P256-SHA256), newest first by created_ms;
-- an older key is still served during lookup.private.key-overlap after its successor was made,
-- then deleted. The secret never leaves the server; the database file is readable by its owner only.
CREATE TABLE oprf_keys (
    key_id TEXT PRIMARY KEY,
    secret BLOB NOT NULL,
    created_ms INTEGER NOT NULL
);
-- private_lookup_log: what a private lookup shows the server: who fetched which bucket, when and
-- (per lookup-log.mode) from where. No handle: the server never learns it. Kept for lookup-log.retention.
CREATE TABLE private_lookup_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    requester_account_id TEXT NOT NULL,
    requester_device_id INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    prefix_bits INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    client_ip TEXT NULL
);
CREATE INDEX private_lookup_log_time ON private_lookup_log (time_ms);
CREATE INDEX private_lookup_log_requester_time ON private_lookup_log (requester_account_id, time_ms);
