// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.server.config.LookupLogMode;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/** The SMS feature's part of the published policy, from the live {@code sms} section. */
public final class SmsPolicy implements PolicyContributor {
    private static final String HOST = "whoever operates the server host (the database)";
    private static final String GATEWAY = "the SMS gateway (sms.smpp.host) and the mobile carriers, which receive the"
            + " text and the phone number to deliver it and keep them under their own policies";

    private final SmsConfig config;

    public SmsPolicy(SmsConfig config) {
        this.config = config;
    }

    @Override
    public List<DataCategory> categories() {
        List<DataCategory> out = new ArrayList<>();
        String retention = Retention.iso(config.retention());
        String queue = Retention.iso(config.maxQueueTime());
        String description = "SMS the server sent for its users (SMS fallback) or to deliver verification codes."
                + " SMS is not end-to-end encrypted.";
        if (!config.smppInUse()) {
            out.add(DataCategory.notRecorded("sms", description, "Not recorded: this server sends no SMS"
                    + " (sms.gateway is none and verification.sender is not smpp)."));
        } else {
            out.add(DataCategory.of("sms", description, List.of(
                            new DataField("text", "the message text (or the verification code's text), only until the"
                                    + " gateway has accepted every part; deleted then, or at the latest after " + queue
                                    + " (sms.max-queue-time) if the gateway never accepts it"),
                            new DataField("recipient", "the phone number it was sent to"),
                            new DataField("account_id", "the sending account (none for verification codes)"),
                            new DataField("created_at, updated_at", "when it was queued and last changed (milliseconds)"),
                            new DataField("parts, alphabet", "how many SMS parts it took and whether GSM-7 or UCS-2"),
                            new DataField("status", "per part: queued, accepted, delivered or why not, from the gateway's"
                                    + " delivery receipts; and the gateway's message id per part")),
                    retention + " (sms.retention) after it was queued, then deleted",
                    List.of("the sending account's devices, each SMS by its id (GET /v1/sms/{id}); not its text once accepted",
                            GATEWAY, HOST),
                    "SMS fallback is opt-in twice: the server (sms.gateway) and each account (PUT /v1/me/settings/sms),"
                            + " and the client asks its user on every send. The server sees the text of every SMS it sends."));
        }
        out.add(config.fallback()
                ? DataCategory.of("sms-opt-ins", "Accounts that turned SMS fallback on.",
                        List.of(new DataField("account_id", "the account"),
                                new DataField("enabled_at", "when it was turned on")),
                        "until the account turns SMS fallback off",
                        List.of("the account's devices (GET /v1/me/settings/sms)", HOST), "")
                : DataCategory.notRecorded("sms-opt-ins", "Accounts that turned SMS fallback on.",
                        "Not recorded: sms.gateway is none."));
        out.add(verificationLog());
        return out;
    }

    private DataCategory verificationLog() {
        String name = "sms-verification-log";
        String description = "A record of every verification code requested by SMS: to which number, when, and"
                + " whether it was queued or refused by a rate limit. The code itself is never recorded.";
        var v = config.verification();
        if (!config.smppForCodes()) {
            return DataCategory.notRecorded(name, description, "Not recorded: verification.sender is not smpp.");
        }
        if (v.logMode() == LookupLogMode.OFF) {
            return DataCategory.notRecorded(name, description, "Not recorded: sms.verification.log-mode is off.");
        }
        List<DataField> fields = new ArrayList<>(List.of(
                new DataField("time", "when the code was requested (milliseconds)"),
                new DataField("phone_number", "the number the code was for"),
                new DataField("outcome", "queued, rate-limited-number, rate-limited-ip or invalid-number")));
        switch (v.logMode()) {
            case FULL -> fields.add(new DataField("client_ip", "the requesting client's full IP address"));
            case TRUNCATED_IP -> fields.add(new DataField("client_ip",
                    "the requesting client's IP network only: IPv4 cut to /24, IPv6 cut to /48"));
            default -> { }
        }
        return DataCategory.of(name, description, fields,
                Retention.iso(v.logRetention()) + " (sms.verification.log-retention), then purged",
                List.of(HOST), "sms.verification.log-mode is " + v.logMode().wire() + ". Codes are limited to "
                        + v.maxPerNumberPerHour() + " per number and " + v.maxPerIpPerHour() + " per client address"
                        + " per hour, counted in memory on each server node, not stored.");
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("sms.gateway", config.fallback() ? "smpp" : "none");
        s.put("sms.retention", Retention.iso(config.retention()));
        s.put("sms.max-queue-time", Retention.iso(config.maxQueueTime()));
        s.put("sms.max-parts", Integer.toString(config.maxParts()));
        s.put("sms.max-per-account-per-day", Integer.toString(config.maxPerAccountPerDay()));
        s.put("sms.verification.log-mode", config.verification().logMode().wire());
        s.put("sms.verification.log-retention", Retention.iso(config.verification().logRetention()));
        s.put("sms.verification.max-per-number-per-hour", Integer.toString(config.verification().maxPerNumberPerHour()));
        s.put("sms.verification.max-per-ip-per-hour", Integer.toString(config.verification().maxPerIpPerHour()));
        return s;
    }
}
