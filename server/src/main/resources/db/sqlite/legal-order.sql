-- The order a legal request named its handles and documents in, as a column both backends have
-- (PostgreSQL has no rowid). Rows written before this script get their rowid, which on SQLite was
-- the insertion order the register used to read them back in.
ALTER TABLE legal_request_handles ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE legal_request_handles SET position = rowid;
ALTER TABLE legal_request_documents ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE legal_request_documents SET position = rowid;
