-- The operator audit log: append-only and hash-chained. PostgreSQL twin of db/sqlite/audit.sql.
-- Each entry's hash is SHA-256(prev_hash || canonical encoding of seq, time, actor, action,
-- details), so an edit, a deletion or a reordering breaks the chain at the first entry concerned
-- (parley admin audit verify). Hashes are lower-case hex, as on SQLite, so both backends hash and
-- compare the same strings. seq is assigned by the writer as head_seq + 1 while it holds the
-- audit_chain row locked (JdbcAuditStore), so appends from several nodes form one chain, no gaps.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    time_ms   BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (time_ms);

-- One row: where the chain starts (base: the last entry the retention purge deleted, or seq 0 with
-- 64 zeros) and where it ends (head: the last appended entry), so deleting the newest entries is
-- detected too. Every append locks this row first: it is the chain's single point of order.
CREATE TABLE audit_chain (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    base_seq  BIGINT NOT NULL,
    base_hash TEXT NOT NULL,
    head_seq  BIGINT NOT NULL,
    head_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, base_seq, base_hash, head_seq, head_hash) VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000', 0,
    '0000000000000000000000000000000000000000000000000000000000000000');

-- Defence in depth for an honest server, as the SQLite triggers: the application cannot edit
-- entries, and can delete only those the purge already moved the base past. TRUNCATE skips row
-- triggers, so it is refused outright. Someone with owner rights can drop these triggers; the hash
-- chain is what detects that.
CREATE FUNCTION audit_log_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_update();

CREATE FUNCTION audit_log_refuse_early_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq > (SELECT base_seq FROM audit_chain WHERE id = 1) THEN
        RAISE EXCEPTION 'audit_log entries are deleted only by the retention purge';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_early_delete();

CREATE FUNCTION audit_log_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log entries are deleted only by the retention purge';
END
$$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_truncate();
