// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import io.helidon.webserver.http.HttpRouting;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.storage.Purger;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.PolicyContributor;

/**
 * The operator audit log: storage, its own retention purge and the chain check. No routes of its
 * own: the admin feature serves {@code /v1/admin/audit} to the roles allowed to read it, and no
 * endpoint anywhere deletes entries. The schema ({@code audit.sql}) must be applied.
 */
public final class AuditFeature implements Feature {
    /** The action the retention purge records; verification trusts a base only if this entry names it. */
    public static final String PURGE_ACTION = "audit.purge";

    private final AuditLog log;
    private final AuditTrail trail;
    private final Purger purger;

    private AuditFeature(AuditLog log, AuditTrail trail, Purger purger) {
        this.log = log;
        this.trail = trail;
        this.purger = purger;
    }

    /** Wires the log and registers its purger (retention {@code audit.retention}) with {@code ctx.purges()}. */
    public static AuditFeature create(ServerContext ctx) {
        AuditStore store = new JdbcAuditStore(ctx.database());
        Purger purger = new AuditPurger(store, ctx.config().audit().retention());
        ctx.purges().register(purger);
        return new AuditFeature(new AuditService(store, ctx.clock()), new AuditTrail(store), purger);
    }

    /** Where every feature appends. */
    public AuditLog log() {
        return log;
    }

    /** Reading and verifying, for the auditor API and {@code parley admin audit verify}. */
    public AuditTrail trail() {
        return trail;
    }

    /** The retention purge, for host tooling that runs it without the scheduler. */
    public Purger purger() {
        return purger;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        // No routes: reading is under /v1/admin (admin feature), deleting is nowhere.
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy(ServerConfig config) {
        return new AuditPolicy(config);
    }
}
