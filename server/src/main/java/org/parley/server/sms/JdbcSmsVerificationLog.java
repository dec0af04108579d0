// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.net.InetAddress;
import java.sql.PreparedStatement;
import java.sql.Types;
import org.parley.server.config.LookupLogMode;
import org.parley.server.lookuplog.IpShaping;
import org.parley.server.storage.Database;

/**
 * The log of verification codes sent by SMS ({@code sms_verification_log}), shaped by
 * {@code sms.verification.log-mode} as the lookup log is by its mode: {@code full} keeps the client IP,
 * {@code truncated-ip} its network, {@code no-ip} none, {@code off} writes nothing. The code itself is
 * never logged.
 */
final class JdbcSmsVerificationLog {
    /** What became of an attempt. */
    enum Outcome {
        QUEUED("queued"), RATE_LIMITED_NUMBER("rate-limited-number"), RATE_LIMITED_IP("rate-limited-ip"),
        INVALID_NUMBER("invalid-number");

        final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }
    }

    private final Database db;
    private final LookupLogMode mode;

    JdbcSmsVerificationLog(Database db, LookupLogMode mode) {
        this.db = db;
        this.mode = mode;
    }

    void append(long timeMs, String phoneNumber, InetAddress client, Outcome outcome) {
        if (mode == LookupLogMode.OFF) {
            return;
        }
        String ip = IpShaping.shape(client, mode);
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sms_verification_log (time_ms, phone_number,"
                    + " client_ip, outcome) VALUES (?, ?, ?, ?)")) {
                s.setLong(1, timeMs);
                s.setString(2, phoneNumber);
                if (ip == null) {
                    s.setNull(3, Types.VARCHAR);
                } else {
                    s.setString(3, ip);
                }
                s.setString(4, outcome.wire);
                return s.executeUpdate();
            }
        });
    }

    /** Deletes entries older than {@code cutoffMs}; whatever mode wrote them. */
    long deleteBefore(long cutoffMs) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM sms_verification_log WHERE time_ms < ?")) {
                s.setLong(1, cutoffMs);
                return (long) s.executeUpdate();
            }
        });
    }
}
