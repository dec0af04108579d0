// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.util.List;
import java.util.Map;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/** The audit log's part of the published policy. */
final class AuditPolicy implements PolicyContributor {
    private final ServerConfig config;

    AuditPolicy(ServerConfig config) {
        this.config = config;
    }

    @Override
    public List<DataCategory> categories() {
        return List.of(DataCategory.of("audit-log", "An append-only, hash-chained record of what operators did:"
                        + " every operator read of lookup-log or subscriber data, every operator token change, every"
                        + " read of this log through the API, and its own purges.",
                List.of(new DataField("seq, time", "position in the chain and when"),
                        new DataField("actor", "operator token name, host:<os user> for commands on the server host, or system"),
                        new DataField("action", "what was done, e.g. lookup-log.read, token.create"),
                        new DataField("details", "the parameters, e.g. the handle an operator filtered the lookup log by"),
                        new DataField("prev_hash, hash", "the SHA-256 chain that makes edits, deletions and reordering detectable")),
                Retention.iso(config.audit().retention()) + " (audit.retention), then purged oldest first; the purge"
                        + " keeps the hash of the last deleted entry as the chain's anchor and records itself",
                List.of("operators with role auditor or admin, through GET /v1/admin/audit and GET /v1/admin/audit/verify",
                        "whoever operates the server host (parley admin audit list / verify)"),
                "No endpoint can change or delete entries."));
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("audit.retention", Retention.iso(config.audit().retention()));
    }
}
