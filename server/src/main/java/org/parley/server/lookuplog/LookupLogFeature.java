// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import io.helidon.webserver.http.HttpRouting;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.PolicyContributor;

/**
 * The lookup log: storage, mode, retention purge and the operator query. It has no routes of its
 * own; the directory writes to it and the admin feature serves the operator API from it.
 */
public final class LookupLogFeature implements Feature {
    private final LookupLog log;
    private final LookupLogAppender appender;

    private LookupLogFeature(LookupLog log, LookupLogAppender appender) {
        this.log = log;
        this.appender = appender;
    }

    /**
     * Wires the log from {@code lookup-log.*} and registers its retention purger with
     * {@code ctx.purges()}. The schema ({@code lookuplog.sql}) must already be applied.
     */
    public static LookupLogFeature create(ServerContext ctx, Accounts accounts) {
        return create(ctx, accounts, BucketFetchLog.NONE);
    }

    /**
     * As {@link #create(ServerContext, Accounts)}, reading the private lookup's bucket fetches from
     * {@code fetches} too: the log's readers then see both kinds of lookup.
     */
    public static LookupLogFeature create(ServerContext ctx, Accounts accounts, BucketFetchLog fetches) {
        var config = ctx.config().lookupLog();
        LookupLogStore store = new JdbcLookupLogStore(ctx.database());
        LookupLogAppender appender = new LookupLogAppender(store, ctx.meters(), config.writeBehind().toNanos());
        // Purging runs in every mode: switching to off must still expire what was logged before.
        ctx.purges().register(new LookupLogPurger(store, config.retention(), appender::flush));
        return new LookupLogFeature(new LookupLogService(store, fetches, appender, accounts, ctx.clock(), config.mode(),
                ctx.meters()), appender);
    }

    /** The log other features write to and query. */
    public LookupLog log() {
        return log;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        // No routes: GET /v1/admin/lookup-log belongs to the admin feature.
    }

    /** Commits the entries still queued, then stops the appender; the database closes after the features. */
    @Override
    public void close() {
        appender.close();
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy(ServerConfig config) {
        return new LookupLogPolicy(config);
    }
}
