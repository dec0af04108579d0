-- Keys feature: each device's current signed prekeys and its one-time prekeys.
-- PostgreSQL twin of db/sqlite/keys.sql. Rows go with their device (ON DELETE CASCADE) as well as
-- being deleted explicitly on re-registration.

-- kind 'ec' is the signed Curve25519 prekey, 'kyber' the signed Kyber-1024 last-resort prekey.
CREATE TABLE signed_prekeys (
    account_id TEXT NOT NULL,
    device_id  INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('ec', 'kyber')),
    key_id     INTEGER NOT NULL,
    public_key BYTEA NOT NULL,
    signature  BYTEA NOT NULL,
    PRIMARY KEY (account_id, device_id, kind),
    FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
);

-- A fetch claims the lowest key_id with DELETE ... WHERE key_id = (SELECT ... FOR UPDATE SKIP
-- LOCKED) RETURNING, so concurrent fetches on any node each get a different key.
CREATE TABLE one_time_prekeys (
    account_id TEXT NOT NULL,
    device_id  INTEGER NOT NULL,
    key_id     INTEGER NOT NULL,
    public_key BYTEA NOT NULL,
    PRIMARY KEY (account_id, device_id, key_id),
    FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
);

CREATE TABLE one_time_kyber_prekeys (
    account_id TEXT NOT NULL,
    device_id  INTEGER NOT NULL,
    key_id     INTEGER NOT NULL,
    public_key BYTEA NOT NULL,
    signature  BYTEA NOT NULL,
    PRIMARY KEY (account_id, device_id, key_id),
    FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
);
