// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import io.helidon.webserver.http.HttpRouting;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.lookuplog.LookupLog;

/**
 * The capability lookup ("is this handle on Parley, with which devices?"), rate-limited per
 * account and UTC day and recorded in the {@link LookupLog}.
 *
 * <p>Routes (device auth): {@code GET /v1/directory/{handle}}, {@code POST /v1/directory/lookup}.
 */
public final class DirectoryFeature implements Feature {
    private final DirectoryHandlers handlers;

    private DirectoryFeature(DirectoryHandlers handlers) {
        this.handlers = handlers;
    }

    /** The single-node wiring: an in-memory quota of {@code directory.max-distinct-handles-per-day}. */
    public static DirectoryFeature create(ServerContext ctx, Accounts accounts, LookupLog log, DeviceAuthenticator devices) {
        LookupQuota quota = new InMemoryLookupQuota(ctx.config().directory().maxDistinctHandlesPerDay(), ctx.random());
        return create(ctx, accounts, log, devices, quota);
    }

    /** As {@link #create(ServerContext, Accounts, LookupLog, DeviceAuthenticator)} with another quota (e.g. shared by several nodes). */
    public static DirectoryFeature create(ServerContext ctx, Accounts accounts, LookupLog log, DeviceAuthenticator devices,
                                          LookupQuota quota) {
        Directory directory = new Directory(accounts, log, quota, ctx.clock(), ctx.meters(),
                org.parley.server.config.LookupMode.of(ctx.config()));
        return new DirectoryFeature(new DirectoryHandlers(devices, ctx.clientAddresses(), directory));
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/v1/directory", handlers);
    }
}
