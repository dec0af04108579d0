-- SMS fallback and SMS verification codes (docs/sms.md). SQLite twin: db/sqlite/sms.sql.
-- sms_messages is the persistent outbox and, after the gateway accepted a message, its delivery
-- record. body holds the text only until every part is accepted (submit_sm_resp OK), then it is set
-- to NULL; recipient, times, parts and status stay for sms.retention and are then deleted.
-- purpose: message (a user's SMS fallback, account_id set) or verification (a code, account_id NULL).
-- client_message_id: the sender's idempotency key; a repeat of (account_id, client_message_id) is
-- the same SMS. status: queued, accepted, delivered, failed. lease_until/lease_owner: the node that
-- is submitting it (a crashed node's lease runs out and another node, or the restarted one, resumes).
CREATE TABLE sms_messages (
    id TEXT PRIMARY KEY,
    account_id TEXT NULL,
    client_message_id TEXT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('message', 'verification')),
    recipient TEXT NOT NULL,
    body TEXT NULL,
    alphabet TEXT NOT NULL CHECK (alphabet IN ('gsm7', 'ucs2')),
    parts INTEGER NOT NULL,
    reference INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'accepted', 'delivered', 'failed')),
    failure TEXT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT NULL
);
CREATE UNIQUE INDEX sms_messages_client_id ON sms_messages (account_id, client_message_id);
CREATE INDEX sms_messages_status ON sms_messages (status, lease_until);
CREATE INDEX sms_messages_account_time ON sms_messages (account_id, created_at);
CREATE INDEX sms_messages_created ON sms_messages (created_at);

-- One row per part: the SMSC's message id (from submit_sm_resp) and the part's state from delivery
-- receipts: queued, accepted, delivered, undeliverable, expired, rejected, deleted, unknown.
CREATE TABLE sms_parts (
    message_id TEXT NOT NULL REFERENCES sms_messages(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    smsc_id TEXT NULL,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, seq)
);
CREATE INDEX sms_parts_smsc ON sms_parts (smsc_id);

-- Accounts that turned SMS fallback on (PUT /v1/me/settings/sms). No row: off.
CREATE TABLE sms_opt_ins (
    account_id TEXT PRIMARY KEY,
    enabled_at BIGINT NOT NULL
);

-- Verification codes sent by SMS, shaped by sms.verification.log-mode and purged after
-- sms.verification.log-retention. outcome: queued, rate-limited-number, rate-limited-ip, invalid-number.
CREATE TABLE sms_verification_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time_ms BIGINT NOT NULL,
    phone_number TEXT NOT NULL,
    client_ip TEXT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX sms_verification_log_time ON sms_verification_log (time_ms);
