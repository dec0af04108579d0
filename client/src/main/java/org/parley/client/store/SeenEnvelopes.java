// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * GUIDs of envelopes this device has processed. The server redelivers any envelope whose ack it did not
 * get, and a second decrypt of the same ciphertext fails, so the GUID is the only way to tell "already
 * handled" from "broken".
 */
public final class SeenEnvelopes {
    /** Longer than the server's message TTL (P30D): after that the server cannot redeliver. */
    public static final Duration RETENTION = Duration.ofDays(35);

    private final StateDatabase db;
    private final Clock clock;

    public SeenEnvelopes(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public boolean contains(String guid) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT 1 FROM seen_envelopes WHERE guid = ?")) {
                ps.setString(1, guid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Records the GUID; joins the caller's transaction so it commits together with the session update. */
    public void markSeen(String guid) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT OR IGNORE INTO seen_envelopes (guid, seen_at) VALUES (?, ?)")) {
                ps.setString(1, guid);
                ps.setLong(2, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    /** Forgets GUIDs older than {@link #RETENTION}; returns how many. */
    public int prune() {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM seen_envelopes WHERE seen_at < ?")) {
                ps.setLong(1, clock.millis() - RETENTION.toMillis());
                return ps.executeUpdate();
            }
        });
    }
}
