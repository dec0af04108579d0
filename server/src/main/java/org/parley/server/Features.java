// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import java.util.List;
import org.parley.server.accounts.AccountsFeature;
import org.parley.server.attachments.AttachmentsFeature;
import org.parley.server.admin.AdminFeature;
import org.parley.server.audit.AuditFeature;
import org.parley.server.cluster.Cluster;
import org.parley.server.delivery.DeliveryFeature;
import org.parley.server.config.ServerConfig;
import org.parley.server.directory.DirectoryFeature;
import org.parley.server.directory.LookupQuota;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.keys.KeyFetchLimit;
import org.parley.server.keys.KeysFeature;
import org.parley.server.legal.LegalFeature;
import org.parley.server.legal.LegalMatrix;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.provisioning.ProvisioningFeature;
import org.parley.server.privatelookup.PrivateLookupFeature;
import org.parley.server.sealedsender.SealedSenderFeature;
import org.parley.server.sms.SmsFeature;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.subjectaccess.SubjectAccessFeature;
import org.parley.server.transparency.TransparencyFeature;

/**
 * The object graph, in the order {@link #wire} builds it: each feature is built from those above it
 * (and from the message queues and the registration keys, which stand alone over their tables so
 * that accounts can be built first). Reading this record is reading the architecture.
 */
record Features(
        AccountsFeature accounts,
        KeysFeature keys,
        LookupLogFeature lookupLog,
        DirectoryFeature directory,
        PrivateLookupFeature privateLookup,
        DeliveryFeature delivery,
        MessagesFeature messages,
        AuditFeature audit,
        AdminFeature admin,
        LegalFeature legal,
        TransparencyFeature transparency,
        SubjectAccessFeature subjectAccess,
        SmsFeature sms,
        ProvisioningFeature provisioning,
        SealedSenderFeature sealedSender,
        AttachmentsFeature attachments) {

    /**
     * Parses the configuration sections that features own (configuration holds their plain values),
     * so that a bad value stops start-up, naming the key, before the data directory is touched.
     */
    static void checkConfig(ServerConfig config) {
        LegalMatrix.of(config.legal());
        SealedSenderFeature.checkConfig(config);
        AttachmentsFeature.checkConfig(config);
    }

    /** Wires one node; {@code cluster} is what it shares with the other nodes (nothing on a single node). */
    static Features wire(ServerContext ctx, Cluster cluster) {
        // SMS first: verification.sender smpp needs its sender; it starts (binds) last, below.
        SmsFeature sms = SmsFeature.open(ctx);
        MessageStore queues = MessagesFeature.store(ctx);
        AccountsFeature accounts = AccountsFeature.create(ctx, sms.codeSender(), KeysFeature.deviceKeys(ctx.database()),
                queues);
        var auth = accounts.authenticator();
        KeysFeature keys = KeysFeature.create(ctx, accounts.accounts(), auth,
                cluster.keyFetchLimit(ctx.config(), KeyFetchLimit.inMemory()));
        // The lookup log's readers see the private lookup's bucket fetches too (docs/privacy.md).
        LookupLogFeature lookupLog = LookupLogFeature.create(ctx, accounts.accounts(), PrivateLookupFeature.fetchLog(ctx));
        LookupQuota quota = cluster.lookupQuota(ctx.config(),
                LookupQuota.inMemory(ctx.config().directory().maxDistinctHandlesPerDay(), ctx.random()));
        DirectoryFeature directory = DirectoryFeature.create(ctx, accounts.accounts(), lookupLog.log(), auth, quota);
        PrivateLookupFeature privateLookup = PrivateLookupFeature.create(ctx, accounts.accounts(), auth, quota);
        accounts.onRegistered(privateLookup::accountChanged);
        DeliveryFeature delivery = DeliveryFeature.create(ctx, queues, accounts.accounts(), auth, cluster.fanout());
        MessagesFeature messages = MessagesFeature.create(ctx, queues, accounts.accounts(), auth, delivery.listener());
        SealedSenderFeature sealedSender = SealedSenderFeature.create(ctx, accounts.accounts(), auth, messages.sealedQueue(),
                cluster::minuteLimit);
        // Sends over the delivery WebSocket take the same service path as PUT /v1/messages.
        delivery.acceptSends(messages.sends());
        // A re-registration replaces the devices; their open WebSockets must not outlive them.
        accounts.onDevicesReplaced(delivery::devicesReplaced);
        accounts.onDeviceRemoved(delivery::deviceRemoved);
        AuditFeature audit = AuditFeature.create(ctx);
        AttachmentsFeature attachments = AttachmentsFeature.create(ctx, auth);
        AdminFeature admin = AdminFeature.create(ctx, lookupLog.log(), accounts.accounts(), audit);
        LegalFeature legal = LegalFeature.create(ctx, accounts.accounts(), accounts.subscribers(), lookupLog.log(),
                admin.operators(), auth, audit.log());
        // Account deletion keeps exactly what the holds preserve, and then the other features forget the account.
        accounts.useSubscriberHolds(legal.subscriberHolds());
        accounts.onAccountDeleted(lookupLog.log()::forgetLookupsBy);
        accounts.onAccountDeleted(sms::forgetAccount);
        // Every feature that stores data describes it here; the published policy is exactly this list.
        List<PolicyContributor> policy = List.of(
                AccountsFeature.policy(ctx.config()), KeysFeature.policy(), MessagesFeature.policy(ctx.config()),
                LookupLogFeature.policy(ctx.config()), AdminFeature.policy(), AuditFeature.policy(ctx.config()),
                legal.policy(), Cluster.policy(ctx.config().redis()), sms.policy(), ProvisioningFeature.policy(),
                PrivateLookupFeature.policy(ctx.config()), sealedSender.policy(),
                attachments.policy());
        TransparencyFeature transparency = TransparencyFeature.create(ctx, policy);
        SubjectAccessFeature subjectAccess = SubjectAccessFeature.create(ctx, accounts.records(), keys::counts, queues::countByDevice,
                lookupLog.log(), legal.notices(), sealedSender::accessKeyStatus, auth);
        sms.start(accounts.accounts(), auth);
        ProvisioningFeature provisioning = ProvisioningFeature.create(ctx, auth);
        return new Features(accounts, keys, lookupLog, directory, privateLookup, delivery, messages, audit, admin, legal, transparency,
                subjectAccess, sms, provisioning, sealedSender, attachments);
    }

    List<Feature> all() {
        return List.of(accounts, keys, lookupLog, directory, privateLookup, delivery, messages, audit, admin, legal, transparency,
                subjectAccess, sms, provisioning, sealedSender, attachments);
    }
}
