-- The private lookup: PostgreSQL twin of db/sqlite/privatelookup.sql.
CREATE TABLE oprf_keys (
    key_id TEXT PRIMARY KEY,
    secret BYTEA NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE TABLE private_lookup_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    time_ms BIGINT NOT NULL,
    requester_account_id TEXT NOT NULL,
    requester_device_id INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    prefix_bits INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    client_ip TEXT NULL,
    PRIMARY KEY (requester_account_id, id)
);
CREATE INDEX private_lookup_log_time ON private_lookup_log (time_ms);
CREATE INDEX private_lookup_log_requester_time ON private_lookup_log (requester_account_id, time_ms);
