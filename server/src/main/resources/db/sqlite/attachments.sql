-- End-to-end encrypted attachments (docs/protocol.md, Attachments). PostgreSQL twin: V40__attachments.sql.
-- One row per blob; the ciphertext itself is in the blob store (files or S3), never in the database.
-- The tokens are capabilities: only their SHA-256 is stored. No account, device or address column:
-- the server does not record who uploaded or fetched a blob. completed_at is NULL while the upload
-- runs; expires_at is the upload deadline until then, and the blob's deletion time afterwards.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    upload_token_hash BLOB NOT NULL,
    download_token_hash BLOB NOT NULL,
    size INTEGER NOT NULL,
    store_session TEXT NULL,
    created_at INTEGER NOT NULL,
    completed_at INTEGER NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX attachments_expires ON attachments (expires_at);
