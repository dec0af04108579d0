-- Preservation holds: while a hold is active (not released, not expired), every purge job keeps
-- the records it covers. The lookup-log purge checks this table with NOT EXISTS in its DELETE, so
-- a held row is simply never deleted; nothing is copied and the data has one home.
-- A hold covers one handle of one legal request over [since_ms, until_ms):
--   covers_of = 1: lookup-log rows whose queried_handle is the handle (lookups of the target)
--   covers_by = 1: lookup-log rows whose requester_account_id is account_id (lookups the target made)
--   covers_subscriber = 1: the account, handle and device rows (no purge deletes those today)
-- account_id is the handle's account when the hold was placed; NULL if the handle had none.
CREATE TABLE preservation_holds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL,
    handle TEXT NOT NULL,
    account_id TEXT NULL,
    since_ms INTEGER NOT NULL,
    until_ms INTEGER NOT NULL,
    covers_of INTEGER NOT NULL CHECK (covers_of IN (0, 1)),
    covers_by INTEGER NOT NULL CHECK (covers_by IN (0, 1)),
    covers_subscriber INTEGER NOT NULL CHECK (covers_subscriber IN (0, 1)),
    placed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    extended INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    released_at INTEGER NULL
);
CREATE INDEX preservation_holds_by_request ON preservation_holds (request_id);
