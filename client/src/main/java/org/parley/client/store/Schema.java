// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.util.List;

/** The tables of {@code state.db}. Every statement is idempotent so that opening an existing home is safe. */
final class Schema {
    private Schema() {}

    static final List<String> STATEMENTS = List.of(
            // Small counters and flags: the next key ids to hand out.
            """
            CREATE TABLE IF NOT EXISTS meta (
              key   TEXT PRIMARY KEY,
              value INTEGER NOT NULL)""",
            // This device's long-term identity. One row at most.
            """
            CREATE TABLE IF NOT EXISTS local_identity (
              id                INTEGER PRIMARY KEY CHECK (id = 1),
              identity_key_pair BLOB    NOT NULL,
              registration_id   INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS prekeys (
              key_id INTEGER PRIMARY KEY,
              record BLOB    NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS signed_prekeys (
              key_id INTEGER PRIMARY KEY,
              record BLOB    NOT NULL)""",
            // One-time Kyber keys are deleted when used; the last-resort key stays and instead remembers
            // the base keys it was used with, so a replayed first message is refused.
            """
            CREATE TABLE IF NOT EXISTS kyber_prekeys (
              key_id      INTEGER PRIMARY KEY,
              record      BLOB    NOT NULL,
              last_resort INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS kyber_base_keys_used (
              kyber_key_id     INTEGER NOT NULL,
              signed_prekey_id INTEGER NOT NULL,
              base_key         BLOB    NOT NULL,
              PRIMARY KEY (kyber_key_id, signed_prekey_id, base_key))""",
            // Address name is the remote account id; every device has its own session.
            """
            CREATE TABLE IF NOT EXISTS sessions (
              name      TEXT    NOT NULL,
              device_id INTEGER NOT NULL,
              record    BLOB    NOT NULL,
              PRIMARY KEY (name, device_id))""",
            // Trust on first use, per device.
            """
            CREATE TABLE IF NOT EXISTS remote_identities (
              name         TEXT    NOT NULL,
              device_id    INTEGER NOT NULL,
              identity_key BLOB    NOT NULL,
              updated_at   INTEGER NOT NULL,
              PRIMARY KEY (name, device_id))""",
            // Every replacement of a known remote identity key, kept until a user interface reported it.
            """
            CREATE TABLE IF NOT EXISTS identity_changes (
              id         INTEGER PRIMARY KEY AUTOINCREMENT,
              name       TEXT    NOT NULL,
              device_id  INTEGER NOT NULL,
              old_key    BLOB    NOT NULL,
              new_key    BLOB    NOT NULL,
              changed_at INTEGER NOT NULL,
              reported   INTEGER NOT NULL DEFAULT 0)""",
            // libsignal sender keys: this device's own per group (distribution id) and those of the
            // members it received (see the groups tables below).
            """
            CREATE TABLE IF NOT EXISTS sender_keys (
              name            TEXT    NOT NULL,
              device_id       INTEGER NOT NULL,
              distribution_id TEXT    NOT NULL,
              record          BLOB    NOT NULL,
              PRIMARY KEY (name, device_id, distribution_id))""",
            // The registration of this home. account_id is null until the code is verified.
            """
            CREATE TABLE IF NOT EXISTS account (
              id                 INTEGER PRIMARY KEY CHECK (id = 1),
              server_url         TEXT    NOT NULL,
              handle             TEXT    NOT NULL,
              account_id         TEXT,
              device_id          INTEGER,
              password           TEXT,
              pending_session_id TEXT)""",
            // GUIDs of processed envelopes: the server redelivers anything not acked, possibly after we
            // decrypted it, and a second decrypt of the same ciphertext fails.
            """
            CREATE TABLE IF NOT EXISTS seen_envelopes (
              guid    TEXT    PRIMARY KEY,
              seen_at INTEGER NOT NULL)""",
            // Handles this device has seen resolved to account ids, to name senders and identity changes.
            """
            CREATE TABLE IF NOT EXISTS contacts (
              handle     TEXT    PRIMARY KEY,
              account_id TEXT    NOT NULL,
              updated_at INTEGER NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS contacts_by_account ON contacts (account_id)",
            // The conversation history: every message received (committed with the ratchet step and the
            // seen GUID, before the ack) and every message sent. Plaintext, protected like the keys by the
            // home's file modes. `shown` turns 1 once a user interface has displayed the entry, so a
            // receive that dies after the ack still shows it on the next run.
            """
            CREATE TABLE IF NOT EXISTS history (
              id               INTEGER PRIMARY KEY AUTOINCREMENT,
              guid             TEXT    UNIQUE,
              direction        TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
              kind             TEXT    NOT NULL CHECK (kind IN ('message', 'undecryptable')),
              peer_handle      TEXT,
              peer_account_id  TEXT,
              source_device_id INTEGER,
              body             TEXT,
              reason           TEXT,
              detail           TEXT,
              sent_at          INTEGER NOT NULL,
              server_timestamp INTEGER NOT NULL,
              shown            INTEGER NOT NULL DEFAULT 0)""",
            "CREATE INDEX IF NOT EXISTS history_unshown ON history (id) WHERE shown = 0",
            "CREATE INDEX IF NOT EXISTS history_by_peer ON history (peer_handle, id)",
            // The attachments of a history entry, in message order: each pointer (blob id, download token,
            // key, digest, sizes, name) as the JSON it arrived in, and where it was saved once downloaded.
            // Written in the same transaction as the entry.
            """
            CREATE TABLE IF NOT EXISTS history_attachments (
              history_id INTEGER NOT NULL,
              position   INTEGER NOT NULL,
              pointer    TEXT    NOT NULL,
              PRIMARY KEY (history_id, position))""",
            // Every server URL of this home, in the order they are tried: several nodes, or one load
            // balancer. The account row's server_url comes first if this table disagrees.
            // Session resets (session repair): per remote device, whether a reset is waiting to be sent and
            // when the last one went out, which limits resets to one per device per hour.
            """
            CREATE TABLE IF NOT EXISTS session_resets (
              name         TEXT    NOT NULL,
              device_id    INTEGER NOT NULL,
              pending      INTEGER NOT NULL,
              requested_at INTEGER NOT NULL,
              last_sent_at INTEGER,
              PRIMARY KEY (name, device_id))""",
            // What a user interface should say about resets, kept until it was reported once: 'sent' (we
            // reset our session with that device) or 'received' (that device reset its session with us).
            """
            CREATE TABLE IF NOT EXISTS session_reset_notices (
              id        INTEGER PRIMARY KEY AUTOINCREMENT,
              kind      TEXT    NOT NULL CHECK (kind IN ('sent', 'received')),
              name      TEXT    NOT NULL,
              device_id INTEGER NOT NULL,
              at        INTEGER NOT NULL,
              reported  INTEGER NOT NULL DEFAULT 0)""",
            """
            CREATE TABLE IF NOT EXISTS server_urls (
              position INTEGER PRIMARY KEY,
              url      TEXT    NOT NULL)""",
            // The devices of our own account that this device was told about end-to-end: itself, the ones
            // listed when it was linked, and those in device notices from a sibling. The server's device
            // list is compared against it, so a device the server added silently stands out.
            """
            CREATE TABLE IF NOT EXISTS own_devices (
              device_id       INTEGER PRIMARY KEY,
              registration_id INTEGER NOT NULL,
              source          TEXT    NOT NULL,
              updated_at      INTEGER NOT NULL)""",
            // Device notices received from sibling devices, kept until a user interface reported them;
            // 'unannounced' records a message from a sibling no notice ever named (reported once per device).
            """
            CREATE TABLE IF NOT EXISTS device_notices (
              id              INTEGER PRIMARY KEY AUTOINCREMENT,
              change          TEXT    NOT NULL CHECK (change IN ('added', 'removed', 'unannounced')),
              device_id       INTEGER NOT NULL,
              registration_id INTEGER NOT NULL,
              by_device_id    INTEGER NOT NULL,
              sent_at         INTEGER NOT NULL,
              reported        INTEGER NOT NULL DEFAULT 0)""",
            // Groups: client-managed state (the server never learns who is in a group). The members
            // come from group updates sent 1:1; distribution_id is this device's current sender key,
            // replaced whenever someone leaves or is removed. active turns 0 when we left or were removed.
            """
            CREATE TABLE IF NOT EXISTS groups (
              group_id        TEXT    PRIMARY KEY,
              name            TEXT    NOT NULL,
              revision        INTEGER NOT NULL,
              distribution_id TEXT    NOT NULL,
              active          INTEGER NOT NULL,
              updated_at      INTEGER NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS group_members (
              group_id   TEXT NOT NULL,
              account_id TEXT NOT NULL,
              handle     TEXT,
              PRIMARY KEY (group_id, account_id))""",
            // Which member devices already hold our current sender key of a group. The registration id
            // is part of the key: a reinstalled device (new registration id) needs the key again.
            """
            CREATE TABLE IF NOT EXISTS group_key_shares (
              distribution_id TEXT    NOT NULL,
              account_id      TEXT    NOT NULL,
              device_id       INTEGER NOT NULL,
              registration_id INTEGER NOT NULL,
              PRIMARY KEY (distribution_id, account_id, device_id, registration_id))""",
            // History entries that belong to a group conversation.
            """
            CREATE TABLE IF NOT EXISTS group_history (
              history_id INTEGER PRIMARY KEY,
              group_id   TEXT    NOT NULL)""",
            // Receipts, group changes and typing indicators received but not reported to a user
            // interface yet; deleted once reported (they are not history).
            """
            CREATE TABLE IF NOT EXISTS receive_notices (
              id              INTEGER PRIMARY KEY AUTOINCREMENT,
              kind            TEXT    NOT NULL,
              peer_handle     TEXT,
              peer_account_id TEXT    NOT NULL,
              group_id        TEXT,
              detail          TEXT,
              sent_ats        TEXT,
              created_at      INTEGER NOT NULL)""",
            // Receipts this device owes: written with the message that causes them, sent after.
            """
            CREATE TABLE IF NOT EXISTS pending_receipts (
              peer_account_id TEXT    NOT NULL,
              kind            TEXT    NOT NULL,
              sent_at         INTEGER NOT NULL,
              PRIMARY KEY (peer_account_id, kind, sent_at))""",
            // Sealed sender: the pinned trust root, our own unidentified access key, the last sender
            // certificate. One row at most.
            """
            CREATE TABLE IF NOT EXISTS sealed_sender (
              id                     INTEGER PRIMARY KEY CHECK (id = 1),
              trust_root             BLOB,
              own_access_key         BLOB,
              certificate            BLOB,
              certificate_expires_at INTEGER)""",
            // The access key each contact gave us inside its last end-to-end encrypted message.
            """
            CREATE TABLE IF NOT EXISTS contact_access_keys (
              account_id TEXT    PRIMARY KEY,
              access_key BLOB    NOT NULL,
              updated_at INTEGER NOT NULL)""",
            // GUIDs of envelopes received sealed: their sender was verified by its certificate.
            """
            CREATE TABLE IF NOT EXISTS sealed_envelopes (
              guid TEXT PRIMARY KEY)""");
}
