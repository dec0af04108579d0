// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import io.helidon.webserver.http.HttpRouting;
import org.parley.server.Feature;
import org.parley.server.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.SubscriberRecords;
import org.parley.server.admin.OperatorAuthenticator;
import org.parley.server.audit.AuditLog;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.lookuplog.LookupLog;

/**
 * The legal request register (docs/legal.md): intake, two-person approval, preservation holds,
 * signed disclosure packages, user notices and the public transparency report. The schema
 * ({@code legal.sql}, {@code holds.sql}) must be applied; the lookup-log purge honours the holds.
 */
public final class LegalFeature implements Feature {
    private final LegalRegister register;
    private final LegalHandlers handlers;

    private LegalFeature(LegalRegister register, LegalHandlers handlers) {
        this.register = register;
        this.handlers = handlers;
    }

    public static LegalFeature create(ServerContext ctx, Accounts accounts, SubscriberRecords subscribers,
                                      LookupLog lookupLog, OperatorAuthenticator operators,
                                      DeviceAuthenticator devices, AuditLog audit) {
        var config = ctx.config();
        SigningKey key = SigningKey.loadOrCreate(config.http().dataDir(), ctx.random());
        LegalRegister register = new LegalRegister(new JdbcLegalStore(ctx.database()),
                new LegalMatrix(config.legal().categories()), config, new DisclosureCollector(subscribers, lookupLog),
                key, new PackageVault(config.http().dataDir()), audit, accounts, ctx.clock());
        TransparencyReports reports = new TransparencyReports(register, config.legal().reportBand());
        return new LegalFeature(register, new LegalHandlers(register, reports, operators, devices, ctx.clock()));
    }

    /** The register, for the data export's disclosure notices and for tests. */
    public LegalRegister register() {
        return register;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        handlers.routing(routing);
    }
}
