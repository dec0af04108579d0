-- Operator bearer tokens. Only the SHA-256 of a token is stored; the token itself exists only in
-- the file the server wrote (<data-dir>/admin.token for the bootstrap token).
-- name: 'admin' for the token generated at first start; named tokens come later.
-- role: all roles planned are allowed now, because SQLite cannot alter a CHECK constraint later
-- without rebuilding the table. Only 'admin' is issued today.
CREATE TABLE operator_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    token_hash BLOB NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'legal-reviewer', 'auditor')),
    created_at INTEGER NOT NULL
);
