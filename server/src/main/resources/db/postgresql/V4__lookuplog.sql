-- The capability-lookup log: one row per looked-up handle, kept for lookup-log.retention.
-- PostgreSQL twin of db/sqlite/lookuplog.sql.
-- This is the one place where handles and client IPs are stored on purpose; the purge job
-- deletes rows older than the retention, so the time index serves both purging and queries.
-- The key leads with the requesting account so the table can be distributed by account.
CREATE TABLE lookup_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    time_ms BIGINT NOT NULL,
    requester_account_id TEXT NOT NULL,
    requester_device_id INTEGER NOT NULL,
    queried_handle TEXT NOT NULL,
    route TEXT NOT NULL CHECK (route IN ('parley', 'sms')),
    client_ip TEXT NULL,
    PRIMARY KEY (requester_account_id, id)
);
CREATE INDEX lookup_log_time ON lookup_log (time_ms);
CREATE INDEX lookup_log_queried_time ON lookup_log (queried_handle, time_ms);
CREATE INDEX lookup_log_requester_time ON lookup_log (requester_account_id, time_ms);
