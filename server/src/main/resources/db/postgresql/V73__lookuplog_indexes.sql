-- PostgreSQL twin of db/sqlite/lookuplog-indexes.sql: the lookup log keeps two b-trees per row
-- instead of four (docs/performance.md, "Lookup log, 8 December: the indexes").
-- Dropped: lookup_log_queried_time (only a rare operator query by handle used it; it now reads
-- lookup_log_time over its date range) and lookup_log_requester_time (the primary key
-- (requester_account_id, id) already finds an account's rows for /v1/me/data and account deletion;
-- their time bound is tested per row of that one account).
-- Kept: the primary key and lookup_log_time (purge and time-range queries).
DROP INDEX IF EXISTS lookup_log_queried_time;
DROP INDEX IF EXISTS lookup_log_requester_time;
