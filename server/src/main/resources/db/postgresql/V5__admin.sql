-- Operator bearer tokens. PostgreSQL twin of db/sqlite/admin.sql.
-- Only the SHA-256 of a token is stored; the token itself exists only in the file the server
-- wrote (<data-dir>/admin.token of the node that created it).
CREATE TABLE operator_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token_hash BYTEA NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'legal-reviewer', 'auditor')),
    created_at BIGINT NOT NULL
);
