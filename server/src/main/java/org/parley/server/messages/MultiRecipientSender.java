// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.EnvelopeReceipt;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.MultiRecipientRequest.RecipientMessages;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.StaleDevices;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.errors.MismatchedDevices;
import org.parley.server.errors.ReplacedDevices;
import org.parley.server.http.AuthenticatedDevice;

/**
 * Accepts one multi-recipient send ({@code PUT /v1/messages/multi}): for every account named, one
 * ciphertext per device (for the sender's own account: per other device), checked like a single
 * send, all committed in one transaction before the answer, then delivery is woken.
 *
 * <p>An account that does not exist (any more) is reported like one whose devices all went away:
 * a 409 naming every given device as extra, so a group send drops a deleted member instead of
 * failing as a whole. The server never learns why these accounts are addressed together.
 */
final class MultiRecipientSender {
    private static final System.Logger LOG = System.getLogger(MultiRecipientSender.class.getName());

    private final SendAdmission admission;
    private final MessageStore store;
    private final Accounts accounts;
    private final MessageListener listener;
    private final Clock clock;
    private final Duration ttl;
    private final Counter sent;
    private final Counter stored;

    MultiRecipientSender(MessageStore store, Accounts accounts, MessageListener listener, Clock clock, Duration ttl,
                         MeterRegistry meters, SendAdmission admission) {
        this.admission = admission;
        this.store = store;
        this.accounts = accounts;
        this.listener = listener;
        this.clock = clock;
        this.ttl = ttl;
        this.sent = Counter.builder("parley.messages.multi.sent").description("Accepted multi-recipient sends")
                .register(meters);
        this.stored = Counter.builder("parley.messages.envelopes.stored")
                .description("Envelopes committed to device queues").register(meters);
    }

    /**
     * Queues every envelope and returns once all are committed.
     *
     * @throws org.parley.server.errors.InvalidRequest a device named twice for one account;
     *     MismatchedDevices (409) devices missing or extra, per account; ReplacedDevices (410) stale
     *     registration ids, per account
     */
    SendMessageResponse send(AuthenticatedDevice sender, MultiRecipientRequest request) {
        // The same admission as single sends: a saturated store slows senders down (429) rather than failing.
        return admission.admit(() -> admitted(sender, request));
    }

    private SendMessageResponse admitted(AuthenticatedDevice sender, MultiRecipientRequest request) {
        List<Part> parts = new ArrayList<>(request.recipients().size());
        for (RecipientMessages r : request.recipients()) {
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
        // One transaction for every recipient: a 200 means every envelope is queued, a failure none.
        List<StoredEnvelope> committed = store.insertLinked(batch,
                m -> listener.deliversHere(m.accountId(), m.deviceId()));
        sent.increment();
        stored.increment(batch.size());
        try {
            listener.messagesStored(committed);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "waking delivery failed: " + e.getMessage(), e);
        }
        return new SendMessageResponse(now, batch.stream()
                .map(m -> new EnvelopeReceipt(m.accountId(), m.deviceId(), m.guid()))
                .toList());
    }

    /** Every account's mismatches first (re-fetch devices), then stale registration ids (re-fetch keys). */
    private static void check(List<Part> parts) {
        List<DeviceMismatch> mismatches = new ArrayList<>();
        for (Part part : parts) {
            DeviceCoverage.mismatch(part.accountId(), part.expected(), part.given()).ifPresent(mismatches::add);
        }
        if (!mismatches.isEmpty()) {
            throw new MismatchedDevices("the send does not match the recipients' devices: add a ciphertext for each"
                    + " missing device and drop the extra ones (an account with only extra devices no longer exists)",
                    mismatches);
        }
        List<StaleDevices> stale = new ArrayList<>();
        for (Part part : parts) {
            DeviceCoverage.stale(part.accountId(), part.expected(), part.given()).ifPresent(stale::add);
        }
        if (!stale.isEmpty()) {
            throw new ReplacedDevices("some devices were re-registered: fetch their keys again, start new sessions"
                    + " and encrypt for them again", stale);
        }
    }

    private record Part(String accountId, List<DeviceRecord> expected, List<OutgoingMessage> given) {}
}
