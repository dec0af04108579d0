-- The operator audit log: append-only and hash-chained. Each entry's hash is
-- SHA-256(prev_hash || canonical encoding of seq, time, actor, action, details), so an edit, a
-- deletion or a reordering breaks the chain at the first entry concerned (parley admin audit verify).
-- Hashes are lower-case hex. seq is assigned by the writer as head_seq + 1 (no AUTOINCREMENT gaps).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    time_ms   INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (time_ms);

-- One row: where the chain starts (base: the last entry the retention purge deleted, or seq 0 with
-- 64 zeros) and where it ends (head: the last appended entry), so deleting the newest entries is
-- detected too.
CREATE TABLE audit_chain (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    base_seq  INTEGER NOT NULL,
    base_hash TEXT NOT NULL,
    head_seq  INTEGER NOT NULL,
    head_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, base_seq, base_hash, head_seq, head_hash) VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000', 0,
    '0000000000000000000000000000000000000000000000000000000000000000');

-- Defence in depth for an honest server: the application cannot edit entries, and can delete only
-- those the purge already moved the base past. Someone with the database file can drop these
-- triggers; the hash chain is what detects that.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log WHEN OLD.seq > (SELECT base_seq FROM audit_chain WHERE id = 1) BEGIN SELECT RAISE(ABORT, 'audit_log entries are deleted only by the retention purge'); END;
