// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import io.helidon.webserver.http.HttpRouting;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.audit.AuditFeature;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.transparency.PolicyContributor;

/**
 * The operator API, authenticated by bearer tokens ({@link OperatorAuthenticator}).
 *
 * <p>At first start (no row in {@code operator_tokens}) it writes a fresh token to
 * {@code <data-dir>/admin.token} with mode 0600 and stores only its SHA-256. The token is never
 * printed. If a token is registered but that file is gone, no new token is made silently; the
 * server logs a warning with the way to reset: stop the server, delete the {@code admin} row of
 * {@code operator_tokens} ({@code DELETE FROM operator_tokens WHERE name = 'admin'}), start again.
 *
 * <p>Routes and roles: {@code GET /v1/admin/lookup-log} (admin; every read audited),
 * {@code GET /v1/admin/audit} and {@code GET /v1/admin/audit/verify} (auditor, admin). Tokens are
 * created, listed and revoked on the server host ({@link HostTokens}), not over HTTP.
 */
public final class AdminFeature implements Feature {
    private final OperatorAuthenticator operators;
    private final LookupLogHandler lookupLog;
    private final AuditHandlers audit;

    private AdminFeature(OperatorAuthenticator operators, LookupLogHandler lookupLog, AuditHandlers audit) {
        this.operators = operators;
        this.lookupLog = lookupLog;
        this.audit = audit;
    }

    /** Wires the feature and ensures an operator token exists. The schema ({@code admin.sql}) must be applied. */
    public static AdminFeature create(ServerContext ctx, LookupLog log, Accounts accounts, AuditFeature audit) {
        OperatorTokenStore tokens = new JdbcOperatorTokenStore(ctx.database());
        new AdminTokenBootstrap(tokens, ctx.config().http().dataDir(), ctx.random(), ctx.clock(), audit.log()).ensureToken();
        OperatorAuthenticator operators = new OperatorAuthenticator(tokens);
        return new AdminFeature(operators, new LookupLogHandler(operators, log, accounts, audit.log()),
                new AuditHandlers(operators, audit.trail(), audit.log()));
    }

    /** For other operator endpoints to authenticate the same way. */
    public OperatorAuthenticator operators() {
        return operators;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/v1/admin", rules -> rules
                // Admin only: a legal reviewer gets lookup-log data through a reviewed legal request, never raw.
                .get("/lookup-log", OperatorRoutes.operator(operators, new OperatorRole[] {OperatorRole.ADMIN}, lookupLog::handle))
                .get("/audit", OperatorRoutes.operator(operators, AuditHandlers.READERS, audit::list))
                .get("/audit/verify", OperatorRoutes.operator(operators, AuditHandlers.READERS, audit::verify)));
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy() {
        return new AdminPolicy();
    }
}
