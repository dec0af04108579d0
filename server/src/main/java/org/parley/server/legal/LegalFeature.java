// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import io.helidon.webserver.http.HttpRouting;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.SubscriberHolds;
import org.parley.server.accounts.SubscriberRecords;
import org.parley.server.admin.OperatorAuthenticator;
import org.parley.server.audit.AuditLog;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.transparency.DisclosureNotice;
import org.parley.server.transparency.DisclosureNotices;
import org.parley.server.transparency.PolicyContributor;

/**
 * The legal request register (docs/legal.md): intake, two-person approval, preservation holds,
 * signed disclosure packages, user notices and the public transparency report. The schema
 * ({@code legal.sql}, {@code holds.sql}) must be applied; the lookup-log purge honours the holds.
 */
public final class LegalFeature implements Feature {
    private final LegalRegister register;
    private final LegalHandlers handlers;
    private final LegalPolicy policy;

    private final LegalStore store;

    private LegalFeature(LegalRegister register, LegalHandlers handlers, LegalPolicy policy, LegalStore store) {
        this.store = store;
        this.register = register;
        this.handlers = handlers;
        this.policy = policy;
    }

    public static LegalFeature create(ServerContext ctx, Accounts accounts, SubscriberRecords subscribers,
                                      LookupLog lookupLog, OperatorAuthenticator operators,
                                      DeviceAuthenticator devices, AuditLog audit) {
        var config = ctx.config();
        SigningKey key = SigningKey.loadOrCreate(config.http().dataDir(), ctx.random());
        LegalMatrix matrix = LegalMatrix.of(config.legal());
        LegalStore store = new JdbcLegalStore(ctx.database());
        LegalRegister register = new LegalRegister(ctx.database(), store,
                matrix, config, new DisclosureCollector(subscribers, lookupLog),
                key, new PackageVault(config.http().dataDir()), audit, accounts, ctx.clock());
        TransparencyReports reports = new TransparencyReports(register, config.legal().reportBand());
        return new LegalFeature(register, new LegalHandlers(register, reports, operators, devices, ctx.clock()),
                new LegalPolicy(config, matrix), store);
    }

    /** The active holds as account deletion needs them: deletion keeps exactly what they preserve. */
    public SubscriberHolds subscriberHolds() {
        return store::activeHoldsOn;
    }

    /** The register, for the data export's disclosure notices and for tests. */
    LegalRegister register() {
        return register;
    }

    /** The register's part of the published policy. */
    public PolicyContributor policy() {
        return policy;
    }

    /** Disclosures an account's owner may now see, for the data export ({@code GET /v1/me/data}). */
    public DisclosureNotices notices() {
        return (accountId, now) -> register.notices(accountId, now).stream()
                .map(n -> new DisclosureNotice(n.type().wire(), n.date(), n.categories().stream().map(LegalCategory::wire).toList()))
                .toList();
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        handlers.routing(routing);
    }
}
