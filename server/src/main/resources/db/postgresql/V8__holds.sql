-- Preservation holds. PostgreSQL twin of db/sqlite/holds.sql.
-- While a hold is active (not released, not expired), every purge job keeps the records it
-- covers. The lookup-log purge checks this table with NOT EXISTS in its DELETE, so a held row is
-- simply never deleted; nothing is copied and the data has one home.
-- A hold covers one handle of one legal request over [since_ms, until_ms):
--   covers_of = 1: lookup-log rows whose queried_handle is the handle (lookups of the target)
--   covers_by = 1: lookup-log rows whose requester_account_id is account_id (lookups the target made)
--   covers_subscriber = 1: the account, handle and device rows (no purge deletes those today)
-- account_id is the handle's account when the hold was placed; NULL if the handle had none.
-- The flags stay 0/1 integers (not BOOLEAN) so the store's SQL is the same on both backends.
CREATE TABLE preservation_holds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL,
    handle TEXT NOT NULL,
    account_id TEXT NULL,
    since_ms BIGINT NOT NULL,
    until_ms BIGINT NOT NULL,
    covers_of INTEGER NOT NULL CHECK (covers_of IN (0, 1)),
    covers_by INTEGER NOT NULL CHECK (covers_by IN (0, 1)),
    covers_subscriber INTEGER NOT NULL CHECK (covers_subscriber IN (0, 1)),
    placed_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    extended INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    released_at BIGINT NULL
);
CREATE INDEX preservation_holds_by_request ON preservation_holds (request_id);
-- The purge's NOT EXISTS looks holds up by handle and by account.
CREATE INDEX preservation_holds_by_handle ON preservation_holds (handle);
CREATE INDEX preservation_holds_by_account ON preservation_holds (account_id);
