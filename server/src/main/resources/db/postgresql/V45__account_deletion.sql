-- Accounts feature, account deletion. PostgreSQL twin of db/sqlite/account-deletion.sql (which
-- explains the tables): times are BIGINT epoch millis.
CREATE TABLE retained_accounts (
    account_id         TEXT PRIMARY KEY,
    handle             TEXT NOT NULL,
    deleted_at         BIGINT NOT NULL,
    account_created_at BIGINT NULL,
    handle_created_at  BIGINT NULL
);
CREATE INDEX retained_accounts_by_handle ON retained_accounts(handle);

CREATE TABLE retained_devices (
    account_id    TEXT NOT NULL REFERENCES retained_accounts(account_id) ON DELETE CASCADE,
    device_id     INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_day BIGINT NOT NULL,
    PRIMARY KEY (account_id, device_id)
);
