// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import io.helidon.webserver.http.HttpRouting;
import org.parley.protocol.AccessKeyStatus;
import org.parley.protocol.SealedSenderRoot;
import org.parley.server.accounts.Accounts;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.messages.SealedQueue;
import org.parley.server.transparency.PolicyContributor;
import org.signal.libsignal.protocol.ecc.ECKeyPair;

/**
 * Sealed sender (issue 14): the server relays a message without learning who sent it.
 *
 * <p>Routes: {@code GET /.well-known/parley/sealed-sender-root} (the trust root clients pin),
 * {@code GET /v1/certificate/delivery} (device auth: a short-lived sender certificate),
 * {@code PUT /v1/me/access-key} (device auth: the key a sealed send to this account must present),
 * {@code PUT /v1/sealed-messages/{accountId}} (no device auth: header {@code Unidentified-Access-Key}),
 * {@code PUT /v1/sealed-messages/multi} (no device auth: an access key per recipient in the body).
 * Envelopes are committed by the messages feature ({@link SealedQueue}) with no source.
 */
public final class SealedSenderFeature implements Feature {
    private final SealedSenderRoutes routes;
    private final SealedSender sender;
    private final SealedSenderConfig config;
    private final boolean sharedLimits;

    private SealedSenderFeature(SealedSenderRoutes routes, SealedSender sender, SealedSenderConfig config,
                                boolean sharedLimits) {
        this.routes = routes;
        this.sender = sender;
        this.config = config;
        this.sharedLimits = sharedLimits;
    }

    /** A single node: the rate limits count in this node's memory. */
    public static SealedSenderFeature create(ServerContext ctx, Accounts accounts, DeviceAuthenticator auth, SealedQueue queue) {
        return create(ctx, accounts, auth, queue, MinuteLimit.Sharing.NONE);
    }

    /**
     * Loads (or creates) the trust root in the data directory; the schema must already be applied.
     *
     * @param sharing puts the cluster's shared counters in front of the per-node rate limits
     *                ({@code cluster::minuteLimit}), or {@link MinuteLimit.Sharing#NONE} on one node
     */
    public static SealedSenderFeature create(ServerContext ctx, Accounts accounts, DeviceAuthenticator auth,
                                             SealedQueue queue, MinuteLimit.Sharing sharing) {
        SealedSenderConfig config = SealedSenderConfig.from(ctx.config().tree());
        ECKeyPair root = TrustRoot.loadOrCreate(ctx.config().http().dataDir());
        CertificateIssuer issuer = new CertificateIssuer(root, accounts, ctx.clock(), config.certificateLifetime(), ctx.random());
        SealedSender sender = new SealedSender(new JdbcAccessKeyStore(ctx.database()), queue, config, sharing,
                ctx.clock(), ctx.meters());
        return new SealedSenderFeature(new SealedSenderRoutes(auth, ctx.clientAddresses(), issuer, sender,
                new SealedSenderRoot(root.getPublicKey().serialize())), sender, config,
                sharing != MinuteLimit.Sharing.NONE && ctx.config().redis().enabled());
    }

    /** Whether {@code accountId} set an access key and accepts sealed sends without one; never the key (subject access). */
    public AccessKeyStatus accessKeyStatus(String accountId) {
        return sender.accessKeyStatus(accountId);
    }

    /** Reads the section so that a bad value stops start-up before anything is touched. */
    public static void checkConfig(org.parley.server.config.ServerConfig config) {
        SealedSenderConfig.from(config.tree());
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routes.register(routing);
    }

    /** This feature's part of the published policy. */
    public PolicyContributor policy() {
        return new SealedSenderPolicy(config, sharedLimits);
    }
}
