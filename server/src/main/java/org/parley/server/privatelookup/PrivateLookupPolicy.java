// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.LookupMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/**
 * The private lookup's part of the published policy: its log of bucket fetches (which never holds a
 * handle) and its OPRF keys. The log follows {@code lookup-log.mode} and {@code lookup-log.retention}.
 */
final class PrivateLookupPolicy implements PolicyContributor {
    private static final String LOG = "private-lookup-log";
    private static final String LOG_DESCRIPTION = "A record of every private lookup, as the server sees it: which"
            + " account fetched which bucket of handles, and when. The handle looked up is never sent to the"
            + " server, so it is not in this record.";
    private static final String KEYS = "oprf-keys";
    /** The same readers as the lookup log's own entries: every reader of the lookup log sees both kinds. */
    private static final List<String> READERS = List.of(
            "the requesting account's owner: its own private lookups, through GET /v1/me/data",
            "operators with role admin, through GET /v1/admin/lookup-log (kind private); every such read is recorded"
                    + " in the audit log",
            "whoever operates the server host (the database)");
    /** Unlike plain lookups (lookup-log.write-behind), a bucket fetch is committed before it is answered. */
    private static final String WRITE_NOTE = "Each bucket fetch's entry is committed before the bucket is sent, so an"
            + " answered private lookup is always logged.";

    private final ServerConfig config;
    private final LookupMode mode;

    PrivateLookupPolicy(ServerConfig config) {
        this.config = config;
        this.mode = LookupMode.of(config);
    }

    @Override
    public List<DataCategory> categories() {
        var log = config.lookupLog();
        String retention = Retention.iso(log.retention());
        List<DataCategory> out = new ArrayList<>();
        if (!mode.privateAllowed()) {
            out.add(DataCategory.notRecorded(LOG, LOG_DESCRIPTION, "Not recorded: lookup.mode is plain, so the server"
                    + " answers no private lookups. Entries written under an earlier mode are still deleted once they"
                    + " are older than " + retention + " (lookup-log.retention)."));
        } else if (log.mode() == LookupLogMode.OFF) {
            out.add(DataCategory.notRecorded(LOG, LOG_DESCRIPTION, "Not recorded: lookup-log.mode is off, so no"
                    + " bucket fetch is written. Entries written before the mode was switched off are still deleted"
                    + " once they are older than " + retention + " (lookup-log.retention)."));
        } else {
            List<DataField> fields = new ArrayList<>(List.of(
                    new DataField("time", "when the bucket was fetched (milliseconds)"),
                    new DataField("requester", "account id and device id that asked"),
                    new DataField("bucket", "the OPRF key id, prefix length and prefix of the bucket fetched: a set of"
                            + " at least " + config.tree().text("lookup.private.min-bucket") + " registered handles"
                            + " (all of them while fewer are registered), never the handle looked up")));
            switch (log.mode()) {
                case FULL -> fields.add(new DataField("ip", "the client's full IP address"));
                case TRUNCATED_IP -> fields.add(new DataField("ip_network",
                        "the client's IP network only: IPv4 cut to /24, IPv6 cut to /48"));
                case NO_IP, OFF -> { }
            }
            out.add(DataCategory.of(LOG, LOG_DESCRIPTION, fields, retention + " (lookup-log.retention), then purged"
                            + " (except entries a preservation hold on lookups by their account keeps)",
                    READERS,
                    "The handle looked up is not recorded because the server never receives it: the client sends a"
                            + " blinded OPRF element, which the server cannot link to a handle. So no one, the operator"
                            + " and a legal request included, can learn from this record who looked up a given handle;"
                            + " it shows who made private lookups, when, from where (per lookup-log.mode) and which"
                            + " bucket. Entries of a deleted account are deleted with it, except what a preservation"
                            + " hold keeps. lookup.mode is "
                            + mode.wire() + (mode == LookupMode.PRIVATE
                            ? ": the plain lookup (which logs handles in lookup-log) is refused."
                            : ": plain lookups are still answered and logged with their handle in lookup-log.")
                            + " " + WRITE_NOTE));
        }
        out.add(DataCategory.of(KEYS, "The server's OPRF keys (secret scalars) that evaluate private lookups.",
                List.of(new DataField("key", "key id, secret scalar, creation time")),
                "until lookup.private.key-overlap (" + config.tree().text("lookup.private.key-overlap")
                        + ") after the next key replaces it; a key is replaced when lookup.private.key-lifetime ("
                        + config.tree().text("lookup.private.key-lifetime") + ") old",
                List.of("the server itself; whoever operates the server host (the database)"),
                "Whoever holds a key can evaluate guessed handles offline, as the server does; the bucket"
                        + " tables derived from it are kept in memory only and rebuilt at start-up."));
        return out;
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("lookup.mode", mode.wire(),
                "lookup.private.min-bucket", config.tree().text("lookup.private.min-bucket"),
                "lookup.private.key-lifetime", config.tree().text("lookup.private.key-lifetime"),
                "lookup.private.key-overlap", config.tree().text("lookup.private.key-overlap"));
    }
}
