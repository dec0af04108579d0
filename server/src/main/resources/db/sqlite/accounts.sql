-- Accounts feature: accounts, their handle, their devices and verification sessions.
-- Every composite key starts with account_id so the tables can later be split by account.
CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- One handle per account for now; the handle is the primary key because lookups go handle -> account.
CREATE TABLE handles (
    handle     TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX handles_by_account ON handles(account_id);

-- password_hash is SHA-256(password_salt || password); the password itself is never stored.
-- last_seen_day is an epoch DAY (not millis) on purpose: finer activity data is not kept.
CREATE TABLE devices (
    account_id      TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    device_id       INTEGER NOT NULL,
    registration_id INTEGER NOT NULL,
    password_salt   BLOB NOT NULL,
    password_hash   BLOB NOT NULL,
    identity_key    BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    last_seen_day   INTEGER NOT NULL,
    PRIMARY KEY (account_id, device_id)
);

-- code_hash is SHA-256(code_salt || code); rows outlive expiry by up to an hour because the
-- per-handle sessions-per-hour limit counts them, then the purger deletes them.
CREATE TABLE verification_sessions (
    session_id  TEXT PRIMARY KEY,
    handle      TEXT NOT NULL,
    code_salt   BLOB NOT NULL,
    code_hash   BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    consumed_at INTEGER
);
CREATE INDEX verification_sessions_by_handle ON verification_sessions(handle, created_at);
CREATE INDEX verification_sessions_by_created ON verification_sessions(created_at);
