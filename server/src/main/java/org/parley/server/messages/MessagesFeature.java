// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Gauge;
import java.time.Instant;
import java.util.Set;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.storage.Database;
import org.parley.server.storage.Purger;
import org.parley.server.http.Routes;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.PolicyContributor;

/**
 * Sending: {@code PUT /v1/messages/{accountId}} (and the delivery WebSocket's {@code send} frame,
 * through {@link #sends()}) validates a send against the devices of both
 * accounts and commits its envelopes to the per-device queues before answering. Also owns the
 * queues' TTL purge and the {@code parley.queue.depth} gauge.
 *
 * <p>Wiring, since delivery reads the queues that sending fills and sending wakes delivery:
 * <pre>{@code
 * MessageStore queues = MessagesFeature.store(ctx);
 * DeliveryFeature delivery = DeliveryFeature.create(ctx, queues, accounts, auth, fanout);
 * MessagesFeature messages = MessagesFeature.create(ctx, queues, accounts, auth, delivery.listener());
 * }</pre>
 * The schema ({@code messages.sql}) must already be applied.
 */
public final class MessagesFeature implements Feature {
    private final MessageStore store;
    private final MessageSender sender;
    private final DeviceAuthenticator auth;

    private MessagesFeature(MessageStore store, MessageSender sender, DeviceAuthenticator auth) {
        this.store = store;
        this.sender = sender;
        this.auth = auth;
    }

    /** The SQL-backed queues on {@code ctx.database()}. */
    public static MessageStore store(ServerContext ctx) {
        return store(ctx.database());
    }

    /**
     * The SQL-backed queues on {@code database}, for the features wired before this one. One store per
     * database: on SQLite it remembers each queue's last id, which inserts through a second store
     * would not update.
     */
    public static MessageStore store(Database database) {
        return new JdbcMessageStore(database);
    }

    /**
     * The feature on {@code store}: registers the {@code messages.ttl} purger and the queue-depth
     * gauge, and calls {@code listener} for each device that got envelopes, after they commit.
     */
    public static MessagesFeature create(ServerContext ctx, MessageStore store, Accounts accounts,
                                         DeviceAuthenticator auth, MessageListener listener) {
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "messages";
            }

            @Override
            public long purge(Instant now) {
                return store.deleteExpired(now);
            }

            @Override
            public Set<String> tables() {
                return Set.of("messages");
            }
        });
        Gauge.builder("parley.queue.depth", store, MessageStore::count)
                .description("Envelopes waiting in device queues")
                .register(ctx.meters());
        SendAdmission admission = new SendAdmission(SendAdmission.DEFAULT_PERMITS, SendAdmission.DEFAULT_MAX_WAIT);
        Gauge.builder("parley.messages.sends.waiting", admission, SendAdmission::waiting)
                .description("Sends waiting for the store (backpressure)")
                .register(ctx.meters());
        MessageSender sender = new MessageSender(store, accounts, listener, ctx.clock(),
                ctx.config().messages().ttl(), ctx.meters(), admission);
        return new MessagesFeature(store, sender, auth);
    }

    /**
     * The send service both transports share; the delivery WebSocket's {@code send} frames come
     * here (see {@code DeliveryFeature.acceptSends}).
     */
    public Sends sends() {
        return sender;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        // "/multi" before "/{accountId}": the first matching route wins.
        routing.register("/v1/messages", rules -> rules
                .put("/multi", Routes.device(auth, this::sendMulti))
                .put("/{accountId}", Routes.device(auth, this::send)));
    }

    private void sendMulti(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, sender.sendMulti(device, HttpJson.read(req, MultiRecipientRequest.class)));
    }

    private void send(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        String destination = req.path().pathParameters().get("accountId");
        SendMessageRequest body = HttpJson.read(req, SendMessageRequest.class);
        HttpJson.ok(res, sender.send(device, destination, body));
    }

    /** The commit path for sealed-sender envelopes, for the {@code sealedsender} feature. */
    public SealedQueue sealedQueue() {
        return sender;
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy(ServerConfig config) {
        return new MessagesPolicy(config);
    }
}
