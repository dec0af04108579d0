-- Accounts feature, account deletion (DELETE /v1/accounts/me; docs/legal.md, "Account deletion").
-- Deleting an account deletes its handle, devices, keys and queues at once, except what an active
-- preservation hold (legal feature) names: then the account id and handle stay here, so the held
-- lookup-log entries can still be found by handle, and, only when a hold covers subscriber records,
-- the account's dates and its devices' dates too. The handle itself is free to register again: a
-- retained row is invisible to lookups and registration. The purge deletes a row once no active
-- hold names it any more, and drops the dates once no hold covers subscriber records.
CREATE TABLE retained_accounts (
    account_id         TEXT PRIMARY KEY,
    handle             TEXT NOT NULL,
    deleted_at         INTEGER NOT NULL,
    account_created_at INTEGER NULL,
    handle_created_at  INTEGER NULL
);
CREATE INDEX retained_accounts_by_handle ON retained_accounts(handle);

CREATE TABLE retained_devices (
    account_id    TEXT NOT NULL REFERENCES retained_accounts(account_id) ON DELETE CASCADE,
    device_id     INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_day INTEGER NOT NULL,
    PRIMARY KEY (account_id, device_id)
);
