-- Accounts feature, linked devices (docs/protocol.md, "Provisioning"). PostgreSQL twin: V30__devices.sql.
-- A provisioning code lets one new device join the account of the device it was issued to. Only
-- SHA-256 of the code is stored (it is 32 random bytes, so no salt is needed); the row is deleted
-- when the code is used, and the purger deletes expired rows.
CREATE TABLE provisioning_codes (
    code_hash  BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
    issued_by  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX provisioning_codes_by_account ON provisioning_codes (account_id);
CREATE INDEX provisioning_codes_by_expiry ON provisioning_codes (expires_at);
