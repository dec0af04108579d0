-- The legal request register. PostgreSQL twin of db/sqlite/legal.sql (with legal-order.sql).
-- Every request a law-enforcement or other authority sent, what it asked for, who registered and
-- decided it, and what was produced. Handles are normalised.
-- Dates (received, range_from, range_until, non_disclosure_until) are ISO dates (UTC days), kept
-- as text as on SQLite; *_at columns are epoch millis. categories is a comma-separated list.
-- status: registered (awaiting a decision), rejected, approved, produced. A state change locks
-- the request's row first (JdbcLegalStore.lock), so decisions from several nodes queue.
-- review_required: 1 for emergency requests until a legal reviewer records the legal process that
-- followed (reviewed_by, reviewed_at, review_note).
-- outcome: produced-with-data / produced-without-data once produced, else NULL.
CREATE TABLE legal_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type TEXT NOT NULL,
    authority TEXT NOT NULL,
    reference TEXT NOT NULL,
    received TEXT NOT NULL,
    range_from TEXT NOT NULL,
    range_until TEXT NOT NULL,
    categories TEXT NOT NULL,
    non_disclosure_until TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('registered', 'rejected', 'approved', 'produced')),
    review_required INTEGER NOT NULL DEFAULT 0,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    decided_by TEXT NULL,
    decided_at BIGINT NULL,
    reason TEXT NULL,
    outcome TEXT NULL CHECK (outcome IS NULL OR outcome IN ('produced-with-data', 'produced-without-data')),
    produced_by TEXT NULL,
    produced_at BIGINT NULL,
    package_sha256 TEXT NULL,
    reviewed_by TEXT NULL,
    reviewed_at BIGINT NULL,
    review_note TEXT NULL
);
CREATE INDEX legal_requests_received ON legal_requests (received);

-- position keeps the order the request named its handles and documents in.
CREATE TABLE legal_request_handles (
    request_id BIGINT NOT NULL REFERENCES legal_requests(id),
    handle TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (request_id, handle)
);

-- SHA-256 (lower-case hex) of each document that came with the request; the documents themselves
-- are kept wherever the operator keeps paper, not on this server.
CREATE TABLE legal_request_documents (
    request_id BIGINT NOT NULL REFERENCES legal_requests(id),
    sha256 TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (request_id, sha256)
);

-- One row per account whose data a production covered: the basis of user notices. account_id is
-- the account the handle belonged to at production time.
CREATE TABLE legal_disclosures (
    request_id BIGINT NOT NULL REFERENCES legal_requests(id),
    account_id TEXT NOT NULL,
    PRIMARY KEY (request_id, account_id)
);
CREATE INDEX legal_disclosures_by_account ON legal_disclosures (account_id);
