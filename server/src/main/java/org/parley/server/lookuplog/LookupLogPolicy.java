// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/**
 * The lookup log's part of the published policy. Its fields follow {@code lookup-log.mode} exactly as
 * {@link IpShaping} applies it, and its retention is {@code lookup-log.retention}.
 */
final class LookupLogPolicy implements PolicyContributor {
    static final String NAME = "lookup-log";
    private static final String DESCRIPTION = "A record of every capability lookup: which account asked whether a"
            + " handle is on Parley, and when.";

    /** What a crash can lose, from {@code lookup-log.write-behind}: see {@code LookupLogAppender}. */
    static String writeBehind(ServerConfig.LookupLog config) {
        if (config.writeBehind().isZero()) {
            return "Every lookup waits for its entry's commit before it is answered"
                    + " (lookup-log.write-behind: PT0S), so an answered lookup is always logged.";
        }
        return "A lookup is answered once its entry is handed to the log's writer, which gathers entries for up to "
                + TimeUnit.NANOSECONDS.toMillis(LookupLogAppender.gatherNanos(config.writeBehind().toNanos()))
                + " ms and commits them together, normally within milliseconds after that, and never lets the log fall more than " + config.writeBehind().toMillis()
                + " ms (lookup-log.write-behind) or 10,000 entries behind (beyond that, lookups wait for their"
                + " entry's commit). A crash of the server can therefore lose the entries of the lookups answered in its"
                + " last moments, at most that much; a normal shutdown writes them all.";
    }

    private final ServerConfig.LookupLog config;
    private final ServerConfig serverConfig;

    LookupLogPolicy(ServerConfig config) {
        this.serverConfig = config;
        this.config = config.lookupLog();
    }

    @Override
    public List<DataCategory> categories() {
        String retention = Retention.iso(config.retention());
        if (config.mode() == LookupLogMode.OFF) {
            return List.of(DataCategory.notRecorded(NAME, DESCRIPTION, "Not recorded: lookup-log.mode is off, so no"
                    + " lookup is written. Entries written before the mode was switched off are still deleted once"
                    + " they are older than " + retention + " (lookup-log.retention)."));
        }
        List<DataField> fields = new ArrayList<>(List.of(
                new DataField("time", "when the lookup was made (milliseconds)"),
                new DataField("requester", "account id and device id that asked"),
                new DataField("queried_handle", "the handle that was looked up"),
                new DataField("route", "the answer: parley or sms")));
        switch (config.mode()) {
            case FULL -> fields.add(new DataField("ip", "the client's full IP address"));
            case TRUNCATED_IP -> fields.add(new DataField("ip_network",
                    "the client's IP network only: IPv4 cut to /24, IPv6 cut to /48"));
            case NO_IP, OFF -> { }
        }
        String lookupMode = org.parley.server.config.LookupMode.of(serverConfig).wire();
        String privateNote = switch (lookupMode) {
            case "private" -> " lookup.mode is private: plain lookups are refused, so no new entries are written here;"
                    + " private lookups never send the handle and are recorded as a bucket only (private-lookup-log).";
            case "both" -> " lookup.mode is both: plain lookups are recorded here with their handle; private lookups"
                    + " never send the handle and are recorded as a bucket only (private-lookup-log).";
            default -> "";
        };
        String notes = switch (config.mode()) {
            case FULL -> "lookup-log.mode is full: the client's IP address is kept.";
            case TRUNCATED_IP -> "lookup-log.mode is truncated-ip: only the client's network is kept, never the full address.";
            default -> "lookup-log.mode is no-ip: no IP address is kept.";
        };
        return List.of(DataCategory.of(NAME, DESCRIPTION, fields, retention + " (lookup-log.retention), then purged",
                List.of("the requesting account's owner: its own lookups, through GET /v1/me/data (not lookups of its"
                                + " handles by others)",
                        "operators with role admin, through GET /v1/admin/lookup-log; every such read is recorded in the audit log",
                        "whoever operates the server host (the database file)"),
                notes + privateNote + " Entries written under an earlier mode keep what that mode stored until they are"
                        + " purged. " + writeBehind(config)));
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("lookup-log.mode", config.mode().wire(),
                "lookup-log.retention", Retention.iso(config.retention()),
                "lookup-log.purge-interval", Retention.iso(config.purgeInterval()),
                "lookup-log.write-behind", config.writeBehind().toString());
    }
}
