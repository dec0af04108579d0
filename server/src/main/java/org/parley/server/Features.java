// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import java.util.List;
import org.parley.server.accounts.AccountsFeature;
import org.parley.server.accounts.AccountsPolicy;
import org.parley.server.admin.AdminFeature;
import org.parley.server.admin.AdminPolicy;
import org.parley.server.audit.AuditFeature;
import org.parley.server.audit.AuditPolicy;
import org.parley.server.cluster.Cluster;
import org.parley.server.cluster.ClusterPolicy;
import org.parley.server.delivery.DeliveryFeature;
import org.parley.server.config.ServerConfig;
import org.parley.server.directory.DirectoryFeature;
import org.parley.server.directory.LookupQuota;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.keys.KeysFeature;
import org.parley.server.keys.KeysPolicy;
import org.parley.server.legal.LegalFeature;
import org.parley.server.legal.LegalMatrix;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.lookuplog.LookupLogPolicy;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.messages.MessagesPolicy;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.subjectaccess.SubjectAccessFeature;
import org.parley.server.transparency.TransparencyFeature;

/**
 * The object graph, in dependency order. Each line is one feature built from the ones above it;
 * reading this record is reading the architecture.
 */
record Features(
        AccountsFeature accounts,
        KeysFeature keys,
        LookupLogFeature lookupLog,
        DirectoryFeature directory,
        MessagesFeature messages,
        DeliveryFeature delivery,
        AuditFeature audit,
        AdminFeature admin,
        LegalFeature legal,
        TransparencyFeature transparency,
        SubjectAccessFeature subjectAccess) {

    /**
     * Parses the configuration sections that features own (configuration holds their plain values),
     * so that a bad value stops start-up, naming the key, before the data directory is touched.
     */
    static void checkConfig(ServerConfig config) {
        LegalMatrix.of(config.legal());
    }

    static Features wire(ServerContext ctx) {
        return wire(ctx, Cluster.singleNode());
    }

    /** Wires one node; {@code cluster} is what it shares with the other nodes (nothing on a single node). */
    static Features wire(ServerContext ctx, Cluster cluster) {
        MessageStore queues = MessagesFeature.store(ctx);
        AccountsFeature accounts = AccountsFeature.create(ctx, KeysFeature.deviceKeys(ctx.database()), queues::deleteAccountQueues);
        var auth = accounts.authenticator();
        KeysFeature keys = KeysFeature.create(ctx, accounts.accounts(), auth);
        LookupLogFeature lookupLog = LookupLogFeature.create(ctx, accounts.accounts());
        LookupQuota quota = cluster.lookupQuota(ctx.config(),
                LookupQuota.inMemory(ctx.config().directory().maxDistinctHandlesPerDay(), ctx.random()));
        DirectoryFeature directory = DirectoryFeature.create(ctx, accounts.accounts(), lookupLog.log(), auth, quota);
        DeliveryFeature delivery = DeliveryFeature.create(ctx, queues, accounts.accounts(), auth, cluster.fanout());
        MessagesFeature messages = MessagesFeature.create(ctx, queues, accounts.accounts(), auth, delivery);
        // A re-registration replaces the devices; their open WebSockets must not outlive them.
        accounts.onDevicesReplaced(delivery::devicesReplaced);
        AuditFeature audit = AuditFeature.create(ctx);
        AdminFeature admin = AdminFeature.create(ctx, lookupLog.log(), accounts.accounts(), audit);
        LegalFeature legal = LegalFeature.create(ctx, accounts.accounts(), accounts.subscribers(), lookupLog.log(),
                admin.operators(), auth, audit.log());
        // Every feature that stores data describes it here; the published policy is exactly this list.
        List<PolicyContributor> policy = List.of(
                new AccountsPolicy(ctx.config()), new KeysPolicy(), new MessagesPolicy(ctx.config()),
                new LookupLogPolicy(ctx.config()), new AdminPolicy(), new AuditPolicy(ctx.config()), legal.policy(),
                new ClusterPolicy(ctx.config().redis()));
        TransparencyFeature transparency = TransparencyFeature.create(ctx, policy);
        SubjectAccessFeature subjectAccess = SubjectAccessFeature.create(ctx, accounts.records(), keys::counts, queues::countByDevice,
                lookupLog.log(), legal.notices(), auth);
        return new Features(accounts, keys, lookupLog, directory, messages, delivery, audit, admin, legal, transparency,
                subjectAccess);
    }

    List<Feature> all() {
        return List.of(accounts, keys, lookupLog, directory, messages, delivery, audit, admin, legal, transparency,
                subjectAccess);
    }
}
