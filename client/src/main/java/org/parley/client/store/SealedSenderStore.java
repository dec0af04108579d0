// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/**
 * What sealed sender needs on this device: the pinned trust root, this account's own unidentified
 * access key, the last sender certificate, the access keys contacts gave us, and which received
 * messages came sealed (so a user interface can say the sender was verified by its certificate).
 */
public final class SealedSenderStore {
    /** A cached sender certificate and when it expires (epoch millis). */
    public record Certificate(byte[] serialized, long expiresAt) {}

    private final StateDatabase db;
    private final Clock clock;

    public SealedSenderStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- this device ----------------------------------------------------------------------------

    public Optional<byte[]> trustRoot() {
        return bytes("trust_root");
    }

    /** Pins the trust root; replaces an earlier pin (a new registration). */
    public void pinTrustRoot(byte[] publicKey) {
        set("trust_root", publicKey);
    }

    public Optional<byte[]> ownAccessKey() {
        return bytes("own_access_key");
    }

    public void setOwnAccessKey(byte[] key) {
        set("own_access_key", key);
    }

    public Optional<Certificate> certificate() {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT certificate, certificate_expires_at FROM sealed_sender WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return Optional.<Certificate>empty();
                }
                return Optional.of(new Certificate(rs.getBytes(1), rs.getLong(2)));
            }
        });
    }

    public void setCertificate(Certificate certificate) {
        db.update(c -> {
            ensureRow();
            try (PreparedStatement ps = db.prepare(
                    "UPDATE sealed_sender SET certificate = ?, certificate_expires_at = ? WHERE id = 1")) {
                ps.setBytes(1, certificate.serialized());
                ps.setLong(2, certificate.expiresAt());
                ps.executeUpdate();
            }
        });
    }

    // ---- contacts -------------------------------------------------------------------------------

    /** The access key {@code accountId} gave us in its last message, if any. */
    public Optional<byte[]> contactAccessKey(String accountId) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT access_key FROM contact_access_keys WHERE account_id = ?")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** Joins the caller's transaction (the receive that decrypted the message carrying it). */
    public void rememberContactAccessKey(String accountId, byte[] key) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO contact_access_keys (account_id, access_key, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (account_id) DO UPDATE SET access_key = excluded.access_key, updated_at = excluded.updated_at""")) {
                ps.setString(1, accountId);
                ps.setBytes(2, key);
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    /** The server refused the key: the contact changed it. Forget it until it sends a new one. */
    public void forgetContactAccessKey(String accountId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM contact_access_keys WHERE account_id = ?")) {
                ps.setString(1, accountId);
                ps.executeUpdate();
            }
        });
    }

    // ---- received -------------------------------------------------------------------------------

    /** Marks the envelope as received sealed; joins the caller's transaction. */
    public void markSealed(String guid) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO sealed_envelopes (guid) VALUES (?)")) {
                ps.setString(1, guid);
                ps.executeUpdate();
            }
        });
    }

    public boolean wasSealed(String guid) {
        if (guid == null) {
            return false;
        }
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT 1 FROM sealed_envelopes WHERE guid = ?")) {
                ps.setString(1, guid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private Optional<byte[]> bytes(String column) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT " + column + " FROM sealed_sender WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
        });
    }

    private void set(String column, byte[] value) {
        db.update(c -> {
            ensureRow();
            try (PreparedStatement ps = db.prepare("UPDATE sealed_sender SET " + column + " = ? WHERE id = 1")) {
                ps.setBytes(1, value);
                ps.executeUpdate();
            }
        });
    }

    private void ensureRow() throws java.sql.SQLException {
        try (PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO sealed_sender (id) VALUES (1)")) {
            ps.executeUpdate();
        }
    }
}
