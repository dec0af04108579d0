// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.time.Duration;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigTree;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.ServerConfig;

/**
 * The {@code sms} section, parsed and validated by this feature (the config package does not know it).
 *
 * @param fallback           {@code sms.gateway: smpp}: users may send SMS fallback messages
 * @param smppForCodes       {@code verification.sender: smpp}: verification codes go by SMS
 */
public record SmsConfig(boolean fallback, boolean smppForCodes, int maxParts, int maxPerAccountPerDay,
                        Duration maxQueueTime, Duration retention, Smpp smpp, Verification verification) {

    /** The SMPP connection. {@code password} is never printed. */
    public record Smpp(String host, int port, boolean tls, String systemId, String password, String systemType,
                       String sourceAddress, byte sourceTon, byte sourceNpi, byte destTon, byte destNpi,
                       int submitsPerSecond, int window, Duration enquireLink, Duration responseTimeout,
                       Duration reconnectMin, Duration reconnectMax) {
        @Override
        public String toString() {
            return "Smpp[host=" + host + ", port=" + port + ", tls=" + tls + ", systemId=" + systemId
                    + ", password=" + (password.isEmpty() ? "" : "***") + ", submitsPerSecond=" + submitsPerSecond
                    + ", window=" + window + "]";
        }
    }

    /** Limits and the attempt log for verification codes sent by SMS. */
    public record Verification(int maxPerNumberPerHour, int maxPerIpPerHour, LookupLogMode logMode, Duration logRetention) {}

    /** True when an SMPP connection is needed at all. */
    public boolean smppInUse() {
        return fallback || smppForCodes;
    }

    /**
     * Reads {@code sms.*} (and whether {@code verification.sender} is {@code smpp}).
     *
     * @throws ConfigException when a value breaks its rule, or SMPP is in use without host or system-id
     */
    public static SmsConfig from(ServerConfig config) {
        ConfigTree t = config.tree();
        boolean fallback = t.choice("sms.gateway", "none", "smpp").equals("smpp");
        boolean codes = config.verification().sender() == ServerConfig.SenderKind.SMPP;
        Smpp smpp = new Smpp(t.text("sms.smpp.host"), t.integer("sms.smpp.port", 1, 65535), t.bool("sms.smpp.tls"),
                t.text("sms.smpp.system-id"), t.secret("sms.smpp.password", "sms.smpp.password-file"),
                t.text("sms.smpp.system-type"), t.text("sms.smpp.source-address"),
                (byte) t.integer("sms.smpp.source-ton", 0, 6), (byte) t.integer("sms.smpp.source-npi", 0, 18),
                (byte) t.integer("sms.smpp.dest-ton", 0, 6), (byte) t.integer("sms.smpp.dest-npi", 0, 18),
                t.integer("sms.smpp.submits-per-second", 1, 10_000), t.integer("sms.smpp.window", 1, 1000),
                t.duration("sms.smpp.enquire-link"), t.duration("sms.smpp.response-timeout"),
                t.duration("sms.smpp.reconnect-min"), t.duration("sms.smpp.reconnect-max"));
        if (fallback || codes) {
            String why = fallback ? "sms.gateway is smpp" : "verification.sender is smpp";
            if (smpp.host().isBlank()) {
                throw new ConfigException(why + " but sms.smpp.host is empty; set it to your SMPP gateway's host name");
            }
            if (smpp.systemId().isBlank()) {
                throw new ConfigException(why + " but sms.smpp.system-id is empty; set it to the account name your"
                        + " gateway gave you");
            }
            if (smpp.systemId().length() > 15) {
                throw new ConfigException("sms.smpp.system-id is at most 15 characters (SMPP 3.4); was "
                        + smpp.systemId().length());
            }
            if (smpp.password().length() > 8) {
                throw new ConfigException("the SMPP password is at most 8 characters (SMPP 3.4); the one configured has "
                        + smpp.password().length());
            }
        }
        if (smpp.reconnectMax().compareTo(smpp.reconnectMin()) < 0) {
            throw new ConfigException("sms.smpp.reconnect-max (" + smpp.reconnectMax() + ") must not be shorter than"
                    + " sms.smpp.reconnect-min (" + smpp.reconnectMin() + ")");
        }
        Duration retention = t.duration("sms.retention");
        Duration maxQueueTime = t.duration("sms.max-queue-time");
        if (retention.compareTo(maxQueueTime) < 0) {
            throw new ConfigException("sms.retention (" + retention + ") must not be shorter than sms.max-queue-time ("
                    + maxQueueTime + "): a queued SMS is kept at least until it is sent or given up");
        }
        LookupLogMode mode;
        try {
            mode = LookupLogMode.parse(t.text("sms.verification.log-mode"));
        } catch (ConfigException e) {
            throw new ConfigException("sms.verification.log-mode must be one of full, truncated-ip, no-ip, off; was '"
                    + t.text("sms.verification.log-mode") + "'");
        }
        var verification = new Verification(t.integer("sms.verification.max-per-number-per-hour", 1, 1000),
                t.integer("sms.verification.max-per-ip-per-hour", 1, 100_000), mode,
                t.duration("sms.verification.log-retention"));
        return new SmsConfig(fallback, codes, t.integer("sms.max-parts", 1, SmsEncoder.MAX_PARTS),
                t.integer("sms.max-per-account-per-day", 1, 1_000_000), maxQueueTime, retention, smpp, verification);
    }
}
