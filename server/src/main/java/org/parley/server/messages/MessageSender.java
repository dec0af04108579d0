// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.EnvelopeReceipt;
import org.parley.protocol.MessageType;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.StaleDevices;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.MismatchedDevices;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.ReplacedDevices;

/**
 * Accepts one send: checks that it covers exactly the right devices with their current
 * registration ids, commits every envelope in one transaction, and only then reports success and
 * wakes delivery.
 */
final class MessageSender implements Sends, SealedQueue {
    private static final System.Logger LOG = System.getLogger(MessageSender.class.getName());

    private final MessageStore store;
    private final Accounts accounts;
    private final MessageListener listener;
    private final Clock clock;
    private final Duration ttl;
    private final Counter sent;
    private final Counter multiSent;
    private final Counter stored;
    private final SendAdmission admission;

    MessageSender(MessageStore store, Accounts accounts, MessageListener listener, Clock clock, Duration ttl,
                  MeterRegistry meters, SendAdmission admission) {
        this.admission = admission;
        this.store = store;
        this.accounts = accounts;
        this.listener = listener;
        this.clock = clock;
        this.ttl = ttl;
        this.sent = Counter.builder("parley.messages.sent").description("Accepted sends").register(meters);
        this.multiSent = Counter.builder("parley.messages.multi.sent").description("Accepted multi-recipient sends")
                .register(meters);
        this.stored = Counter.builder("parley.messages.envelopes.stored")
                .description("Envelopes committed to device queues").register(meters);
    }

    /**
     * Queues the message and returns once every envelope is committed.
     *
     * @throws NotFound unknown destination; InvalidRequest a device named twice (or sync copies on a
     *     send to one's own account), 409 devices missing or extra, 410 stale registration ids,
     *     RateLimited when the store stayed saturated for the admission's whole wait
     */
    @Override
    public SendMessageResponse send(AuthenticatedDevice sender, String destination, SendMessageRequest request) {
        return admission.admit(() -> admitted(sender, destination, request));
    }

    private SendMessageResponse admitted(AuthenticatedDevice sender, String destination, SendMessageRequest request) {
        List<DeviceRecord> destinationDevices = accounts.devices(destination);
        if (destinationDevices.isEmpty()) {
            throw new NotFound("no account with that id; look the handle up again");
        }
        DeviceCoverage.requireDistinct(request.messages(), "messages");
        DeviceCoverage.requireDistinct(request.syncMessages(), "syncMessages");

        List<Part> parts = new ArrayList<>();
        if (destination.equals(sender.accountId())) {
            if (!request.syncMessages().isEmpty()) {
                throw new InvalidRequest("syncMessages must be empty when sending to your own account: "
                        + "messages already holds one ciphertext per other device of yours");
            }
            parts.add(new Part(destination, DeviceCoverage.without(destinationDevices, sender.deviceId()), request.messages()));
        } else {
            parts.add(new Part(destination, destinationDevices, request.messages()));
            List<DeviceRecord> own = DeviceCoverage.without(accounts.devices(sender.accountId()), sender.deviceId());
            parts.add(new Part(sender.accountId(), own, request.syncMessages()));
        }
        check(parts);

        long now = clock.millis();
        long expiresAt = now + ttl.toMillis();
        List<QueuedMessage> batch = new ArrayList<>();
        for (Part part : parts) {
            for (OutgoingMessage m : part.given()) {
                if (m.type() == MessageType.SEALED) {
                    throw new InvalidRequest("a sealed envelope goes to PUT /v1/sealed-messages/{accountId}, "
                            + "without device credentials");
                }
                batch.add(new QueuedMessage(0, part.accountId(), m.deviceId(), UUID.randomUUID().toString(),
                        sender.accountId(), sender.deviceId(), m.type(), m.content(), request.timestamp(), now, expiresAt));
            }
        }
        return commit(batch, now);
    }

    /** Commits the batch and wakes delivery. */
    private SendMessageResponse commit(List<QueuedMessage> batch, long now) {
        // One transaction: a 200 means every copy is queued, a failure means none is.
        List<StoredEnvelope> committed = store.insertLinked(batch,
                m -> listener.deliversHere(m.accountId(), m.deviceId()));
        sent.increment();
        stored.increment(batch.size());
        notifyStored(committed);
        List<EnvelopeReceipt> receipts = batch.stream()
                .map(m -> new EnvelopeReceipt(m.accountId(), m.deviceId(), m.guid()))
                .toList();
        return new SendMessageResponse(now, receipts);
    }

    /**
     * One request with a ciphertext per device of several accounts ({@code PUT /v1/messages/multi}), all
     * committed in one transaction. The sender's own account may be left out; named, it must cover the
     * sender's other devices. An account that no longer exists has no devices, so its ciphertexts come back
     * as extra in the 409 and a group send drops it instead of failing as a whole.
     *
     * @throws org.parley.server.errors.InvalidRequest a device named twice for one account;
     *     MismatchedDevices (409) and ReplacedDevices (410) per account; RateLimited as for {@link #send}
     */
    SendMessageResponse sendMulti(AuthenticatedDevice sender, MultiRecipientRequest request) {
        return admission.admit(() -> admittedMulti(sender, request));
    }

    private SendMessageResponse admittedMulti(AuthenticatedDevice sender, MultiRecipientRequest request) {
        List<Part> parts = new ArrayList<>(request.recipients().size());
        for (MultiRecipientRequest.RecipientMessages r : request.recipients()) {
            DeviceCoverage.requireDistinct(r.messages(), "messages of " + r.accountId());
            List<DeviceRecord> devices = accounts.devices(r.accountId());
            if (r.accountId().equals(sender.accountId())) {
                devices = DeviceCoverage.without(devices, sender.deviceId());
            }
            parts.add(new Part(r.accountId(), devices, r.messages()));
        }
        check(parts);

        long now = clock.millis();
        long expiresAt = now + ttl.toMillis();
        List<QueuedMessage> batch = new ArrayList<>();
        for (Part part : parts) {
            for (OutgoingMessage m : part.given()) {
                batch.add(new QueuedMessage(0, part.accountId(), m.deviceId(), UUID.randomUUID().toString(),
                        sender.accountId(), sender.deviceId(), m.type(), m.content(), request.timestamp(), now, expiresAt));
            }
        }
        multiSent.increment();
        return commit(batch, now);
    }

    @Override
    public SendMessageResponse sendSealed(String destination, SealedSendRequest request) {
        return admission.admit(() -> admittedSealed(destination, request));
    }

    private SendMessageResponse admittedSealed(String destination, SealedSendRequest request) {
        List<DeviceRecord> devices = accounts.devices(destination);
        if (devices.isEmpty()) {
            throw new NotFound("no account with that id; look the handle up again");
        }
        DeviceCoverage.requireDistinct(request.messages(), "messages");
        List<DeviceRecord> expected = request.excludedDeviceId() == null
                ? devices : DeviceCoverage.without(devices, request.excludedDeviceId());
        check(List.of(new Part(destination, expected, request.messages())));

        long now = clock.millis();
        long expiresAt = now + ttl.toMillis();
        List<QueuedMessage> batch = new ArrayList<>();
        for (OutgoingMessage m : request.messages()) {
            // No source: whoever reads the queue (delivery, the database) cannot tell who sent it.
            batch.add(new QueuedMessage(0, destination, m.deviceId(), UUID.randomUUID().toString(),
                    null, 0, m.type(), m.content(), request.timestamp(), now, expiresAt));
        }
        return commit(batch, now);
    }

    @Override
    public SendMessageResponse sendSealedMulti(SealedMultiRecipientRequest request) {
        return admission.admit(() -> admittedSealedMulti(request));
    }

    private SendMessageResponse admittedSealedMulti(SealedMultiRecipientRequest request) {
        List<Part> parts = new ArrayList<>(request.recipients().size());
        for (SealedMultiRecipientRequest.SealedRecipient r : request.recipients()) {
            DeviceCoverage.requireDistinct(r.messages(), "messages of " + r.accountId());
            // Every device: the server does not know the sender, so it cannot leave the sender's device out.
            parts.add(new Part(r.accountId(), accounts.devices(r.accountId()), r.messages()));
        }
        check(parts);

        long now = clock.millis();
        long expiresAt = now + ttl.toMillis();
        List<QueuedMessage> batch = new ArrayList<>();
        for (Part part : parts) {
            for (OutgoingMessage m : part.given()) {
                // No source, as for a sealed 1:1 send.
                batch.add(new QueuedMessage(0, part.accountId(), m.deviceId(), UUID.randomUUID().toString(),
                        null, 0, m.type(), m.content(), request.timestamp(), now, expiresAt));
            }
        }
        multiSent.increment();
        return commit(batch, now);
    }

    /** Mismatches first (the client must re-fetch devices), then stale ids (re-fetch keys). */
    private static void check(List<Part> parts) {
        List<DeviceMismatch> mismatches = new ArrayList<>();
        for (Part part : parts) {
            DeviceCoverage.mismatch(part.accountId(), part.expected(), part.given()).ifPresent(mismatches::add);
        }
        if (!mismatches.isEmpty()) {
            String message = "the send does not match the devices: add a ciphertext for each missing device "
                    + "and drop the extra ones (look the account up again for its current devices)";
            throw new MismatchedDevices(message, mismatches);
        }
        List<StaleDevices> stale = new ArrayList<>();
        for (Part part : parts) {
            DeviceCoverage.stale(part.accountId(), part.expected(), part.given()).ifPresent(stale::add);
        }
        if (!stale.isEmpty()) {
            String message = "some devices were re-registered: fetch their keys again, start new sessions "
                    + "and encrypt for them again";
            throw new ReplacedDevices(message, stale);
        }
    }

    private void notifyStored(List<StoredEnvelope> committed) {
        try {
            listener.messagesStored(committed);
        } catch (RuntimeException e) {
            // Already durable: the device gets the envelope on its next connection at the latest.
            LOG.log(System.Logger.Level.WARNING, "waking delivery failed: " + e.getMessage(), e);
        }
    }

    /** The ciphertexts of one account in a send, and the devices they must cover. */
    private record Part(String accountId, List<DeviceRecord> expected, List<OutgoingMessage> given) {}
}
