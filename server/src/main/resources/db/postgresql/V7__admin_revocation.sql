-- Operator token revocation. PostgreSQL twin of db/sqlite/admin-revocation.sql.
-- A revoked token stays as a row (its name and hash, never the token) so that the audit log's
-- token.create / token.revoke entries keep pointing at something; the authenticator accepts only
-- rows whose revoked_at is NULL. A revoked name cannot be reused.
ALTER TABLE operator_tokens ADD COLUMN revoked_at BIGINT NULL;
