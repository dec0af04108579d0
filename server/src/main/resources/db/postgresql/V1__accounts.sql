-- Accounts feature: accounts, their handle, their devices and verification sessions.
-- PostgreSQL twin of db/sqlite/accounts.sql: times are BIGINT epoch millis, secrets BYTEA.
-- Every composite key starts with account_id so the per-account tables can be distributed by
-- account (e.g. Citus, distribution column account_id); see docs/architecture.md.
CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- One handle per account for now; the handle is the primary key because lookups go handle -> account.
CREATE TABLE handles (
    handle     TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX handles_by_account ON handles(account_id);

-- password_hash is SHA-256(password_salt || password); the password itself is never stored.
-- last_seen_day is an epoch DAY (not millis) on purpose: finer activity data is not kept.
CREATE TABLE devices (
    account_id      TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    device_id       INTEGER NOT NULL,
    registration_id INTEGER NOT NULL,
    password_salt   BYTEA NOT NULL,
    password_hash   BYTEA NOT NULL,
    identity_key    BYTEA NOT NULL,
    created_at      BIGINT NOT NULL,
    last_seen_day   BIGINT NOT NULL,
    PRIMARY KEY (account_id, device_id)
);

-- code_hash is SHA-256(code_salt || code); rows outlive expiry by up to an hour because the
-- per-handle sessions-per-hour limit counts them, then the purger deletes them.
CREATE TABLE verification_sessions (
    session_id  TEXT PRIMARY KEY,
    handle      TEXT NOT NULL,
    code_salt   BYTEA NOT NULL,
    code_hash   BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    consumed_at BIGINT
);
CREATE INDEX verification_sessions_by_handle ON verification_sessions(handle, created_at);
CREATE INDEX verification_sessions_by_created ON verification_sessions(created_at);
