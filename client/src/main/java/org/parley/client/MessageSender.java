// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.client.crypto.AttachmentPointer;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SealedCrypto;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyStateException;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Json;
import org.parley.protocol.LookupResult;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.StaleDevices;
import org.parley.protocol.StaleDevicesResponse;
import org.parley.client.error.ParleyException;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyTransportException;

/**
 * Sends one text message: lookup, sessions, one ciphertext per recipient device and per other device of
 * our own account, then the PUT. The server answers 409 when our device list is wrong and 410 when a
 * device was reinstalled; both are corrected and retried a bounded number of times.
 */
final class MessageSender {
    static final int MAX_ATTEMPTS = 3;

    private final DeviceContext ctx;
    private final Directory directory;
    private final SessionSetup sessions;

    MessageSender(DeviceContext ctx, Directory directory) {
        this.ctx = ctx;
        this.directory = directory;
        this.sessions = new SessionSetup(ctx);
    }

    SendResult send(String handle, String text) {
        return send(handle, text, ctx.clock().millis(), SendMode.AUTO);
    }

    SendResult send(String handle, String text, SendMode mode) {
        return send(handle, text, ctx.clock().millis(), mode);
    }

    /** {@code sentAt} goes into the plaintext; receipts name the message by it. */
    SendResult send(String handle, String text, long sentAt) {
        return send(handle, text, sentAt, SendMode.AUTO);
    }

    SendResult send(String handle, String text, long sentAt, SendMode mode) {
        return send(handle, text, sentAt, mode, List.of());
    }

    /** Sends {@code text} (null: none) with already uploaded {@code attachments}. */
    SendResult send(String handle, String text, List<AttachmentPointer> attachments) {
        return send(handle, text, ctx.clock().millis(), SendMode.AUTO, attachments);
    }

    SendResult send(String handle, String text, long sentAt, SendMode mode, List<AttachmentPointer> attachments) {
        LookupResult target = directory.lookup(handle);
        if (target.route() != Route.PARLEY) {
            return new SendResult.NotOnParley(target.handle());
        }
        // Device id -> registration id we expect (null: take whatever the bundle says).
        Map<Integer, Integer> recipients = new LinkedHashMap<>();
        for (DeviceInfo device : target.devices() == null ? List.<DeviceInfo>of() : target.devices()) {
            recipients.put(device.deviceId(), device.registrationId());
        }
        // Every message carries our access key: whoever hears from us may answer sealed.
        byte[] ownKey = mode == SendMode.IDENTIFIED ? null
                : SealedSenderSetup.ownAccessKey(ctx.state(), ctx.api()).orElse(null);
        byte[] message = Plaintext.message(text, sentAt, attachments).withSenderAccessKey(ownKey).encode();
        byte[] syncCopy = Plaintext.syncCopy(text, sentAt, target.handle(), attachments).encode();
        return deliver(target.handle(), target.accountId(), recipients, sentAt, message, syncCopy, mode, ownKey);
    }

    /**
     * Sends one plaintext that is not a text message (a session reset) to every device of
     * {@code accountId}, without a directory lookup: {@code recipients} are the devices we know of,
     * and the server's 409 names any we miss.
     */
    SendResult.Delivered sendControl(String handle, String accountId, Map<Integer, Integer> recipients, byte[] plaintext) {
        return (SendResult.Delivered) deliver(handle, accountId, new LinkedHashMap<>(recipients), ctx.clock().millis(),
                plaintext, plaintext, SendMode.IDENTIFIED, null);
    }

    /**
     * Sends a receipt (or another message the server must not tell from a text): {@code toPeer} to every
     * device of {@code accountId}, {@code toOwn} to our other devices, sealed whenever a text to them would
     * be, so that a receipt looks like a message in the server's storage.
     */
    SendResult sendLikeAMessage(String handle, String accountId, Map<Integer, Integer> recipients, byte[] toPeer,
                                byte[] toOwn) {
        byte[] ownKey = SealedSenderSetup.ownAccessKey(ctx.state(), ctx.api()).orElse(null);
        return deliver(handle, accountId, new LinkedHashMap<>(recipients), ctx.clock().millis(), toPeer, toOwn,
                SendMode.AUTO, ownKey);
    }

    private SendResult deliver(String handle, String accountId, Map<Integer, Integer> recipients, long sentAt,
                               byte[] message, byte[] syncCopy, SendMode mode, byte[] ownKey) {
        LookupResult target = new LookupResult(handle, Route.PARLEY, accountId, null);
        String me = ctx.accountId();
        boolean toSelf = target.accountId().equals(me);
        if (toSelf) {
            recipients.remove(ctx.deviceId());
        }
        if (toSelf && recipients.isEmpty()) {
            throw noOtherDevices();
        }
        // Our other devices are not looked up (that would log a lookup of ourselves on every send): we
        // start from the ones we hold sessions with, and the server's 409 names any we miss.
        Map<Integer, Integer> ownDevices = new LinkedHashMap<>();
        if (!toSelf) {
            for (int deviceId : ctx.state().protocolStore().deviceIdsWithSession(me)) {
                if (deviceId != ctx.deviceId()) {
                    ownDevices.put(deviceId, null);
                }
            }
        }

        if (mode != SendMode.IDENTIFIED) {
            byte[] recipientKey = toSelf ? ownKey : ctx.state().sealedSender().contactAccessKey(target.accountId()).orElse(null);
            if (recipientKey == null) {
                if (mode == SendMode.SEALED) {
                    throw new ParleyStateException("cannot send sealed to " + target.handle() + ": this device does not"
                            + " have their access key yet (it comes with their first message to you)");
                }
            } else {
                try {
                    return sendSealed(target, toSelf, recipients, ownDevices, message, syncCopy, recipientKey, ownKey, sentAt);
                } catch (ParleyApiException e) {
                    if (e.status() != 401 || mode == SendMode.SEALED) {
                        throw e;
                    }
                    // The recipient changed its key or stopped accepting sealed messages: send identified.
                    if (!toSelf) {
                        ctx.state().sealedSender().forgetContactAccessKey(target.accountId());
                    }
                }
            }
        }

        ParleyApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Set<Integer> recipientDevices = sessions.ensure(target.accountId(), recipients);
            Set<Integer> syncDevices = toSelf ? Set.of() : sessions.ensure(me, ownDevices);
            if (recipientDevices.isEmpty()) {
                if (toSelf) {
                    // The server's corrections removed our last other device: nothing to deliver.
                    throw noOtherDevices();
                }
                throw new ParleyException("none of the devices of " + target.handle() + " could be reached");
            }
            // Every encrypt of this attempt (session loads, ratchet steps, identity and registration-id
            // reads) runs in one transaction: one commit per send instead of several per device. A failure
            // rolls back every session change of the attempt; its ciphertexts are then never sent. The
            // transaction ends before the PUT, so no network wait holds the database's write lock.
            SendMessageRequest request = ctx.state().database().sql(c -> new SendMessageRequest(sentAt,
                    encrypt(target.accountId(), recipientDevices, message),
                    encrypt(me, syncDevices, syncCopy)));
            try {
                SendMessageResponse response = ctx.api().send(target.accountId(), request);
                return delivered(target, recipientDevices.size(), syncDevices.size(), response.serverTimestamp());
            } catch (ParleyApiException e) {
                last = e;
                if (e.status() == 409 && "mismatched_devices".equals(e.error())) {
                    for (DeviceMismatch mismatch : read(e, MismatchedDevicesResponse.class).mismatches()) {
                        correctMismatch(mismatch, mismatch.accountId().equals(target.accountId()) ? recipients : ownDevices);
                    }
                } else if (e.status() == 410 && "stale_devices".equals(e.error())) {
                    for (StaleDevices stale : read(e, StaleDevicesResponse.class).stale()) {
                        dropStale(stale, stale.accountId().equals(target.accountId()) ? recipients : ownDevices);
                    }
                } else {
                    throw e;
                }
            }
        }
        throw last;
    }

    // ---- sealed sender ----------------------------------------------------------------------------

    /**
     * The message sealed, authorised by the recipient's access key; then the sync copies, sealed too, to
     * our own other devices that we hold sessions with (authorised by our own key). The two are separate
     * requests, so the sync copies are best effort: the message is delivered once the first one succeeds.
     */
    private SendResult sendSealed(LookupResult target, boolean toSelf, Map<Integer, Integer> recipients,
                                  Map<Integer, Integer> ownDevices, byte[] message, byte[] syncCopy,
                                  byte[] recipientKey, byte[] ownKey, long sentAt) {
        byte[] certificate = SealedSenderSetup.certificate(ctx.state(), ctx.api(), ctx.clock().millis());
        SealedDelivery delivered = deliverSealed(target.accountId(), recipients, message, recipientKey,
                toSelf ? ctx.deviceId() : null, certificate, sentAt);
        int syncCount = 0;
        if (!toSelf && ownKey != null && !ownDevices.isEmpty()) {
            try {
                syncCount = deliverSealed(ctx.accountId(), ownDevices, syncCopy, ownKey, ctx.deviceId(), certificate,
                        sentAt).devices();
            } catch (ParleyException e) {
                syncCount = 0;
            }
        }
        return new SendResult.Delivered(target.handle(), target.accountId(), delivered.devices(), syncCount,
                delivered.response().serverTimestamp(), IdentityChanges.drain(ctx.state()), true);
    }

    private record SealedDelivery(int devices, SendMessageResponse response) {}

    private SealedDelivery deliverSealed(String accountId, Map<Integer, Integer> devices, byte[] plaintext, byte[] key,
                                         Integer excludedDeviceId, byte[] certificate, long sentAt) {
        ParleyApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Set<Integer> ids = sessions.ensure(accountId, devices);
            if (ids.isEmpty()) {
                throw new ParleyException("none of the devices of the recipient could be reached");
            }
            SealedSendRequest request = ctx.state().database().sql(c -> new SealedSendRequest(sentAt,
                    encryptSealed(accountId, ids, plaintext, certificate), excludedDeviceId));
            try {
                return new SealedDelivery(ids.size(), ctx.api().sendSealed(accountId, key, request));
            } catch (ParleyApiException e) {
                last = e;
                if (e.status() == 409 && "mismatched_devices".equals(e.error())) {
                    for (DeviceMismatch mismatch : read(e, MismatchedDevicesResponse.class).mismatches()) {
                        correctMismatch(mismatch, devices);
                    }
                } else if (e.status() == 410 && "stale_devices".equals(e.error())) {
                    for (StaleDevices stale : read(e, StaleDevicesResponse.class).stale()) {
                        dropStale(stale, devices);
                    }
                } else {
                    throw e;
                }
            }
        }
        throw last;
    }

    private List<OutgoingMessage> encryptSealed(String accountId, Set<Integer> devices, byte[] plaintext, byte[] certificate) {
        SealedCrypto sealed = new SealedCrypto(ctx.state().protocolStore(), ctx.accountId(), ctx.deviceId());
        List<OutgoingMessage> out = new ArrayList<>(devices.size());
        for (int deviceId : devices) {
            EncryptedMessage m = sealed.encrypt(SessionCrypto.address(accountId, deviceId), certificate, plaintext);
            out.add(new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content()));
        }
        return out;
    }

    /** A message to your own handle goes to your other devices; without one it would reach nobody. */
    private static NothingToSendException noOtherDevices() {
        return new NothingToSendException("you have no other devices; nothing to send to (a message to your own"
                + " handle goes to your other devices, and this is your only one)");
    }

    private SendResult.Delivered delivered(LookupResult target, int devices, int syncDevices, long serverTimestamp) {
        return new SendResult.Delivered(target.handle(), target.accountId(), devices, syncDevices, serverTimestamp,
                IdentityChanges.drain(ctx.state()));
    }

    private List<OutgoingMessage> encrypt(String accountId, Set<Integer> devices, byte[] plaintext) {
        List<OutgoingMessage> out = new ArrayList<>(devices.size());
        for (int deviceId : devices) {
            EncryptedMessage m = ctx.crypto().encrypt(SessionCrypto.address(accountId, deviceId), plaintext);
            out.add(new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content()));
        }
        return out;
    }

    /** Extra devices no longer exist: forget their sessions. Missing ones get a bundle on the next attempt. */
    private void correctMismatch(DeviceMismatch mismatch, Map<Integer, Integer> devices) {
        for (int extra : nullSafe(mismatch.extraDevices())) {
            devices.remove(extra);
            ctx.state().protocolStore().deleteSession(SessionCrypto.address(mismatch.accountId(), extra));
        }
        for (int missing : nullSafe(mismatch.missingDevices())) {
            if (!(mismatch.accountId().equals(ctx.accountId()) && missing == ctx.deviceId())) {
                devices.putIfAbsent(missing, null);
            }
        }
    }

    /** A stale device was reinstalled: its old session is useless, a new bundle is fetched next attempt. */
    private void dropStale(StaleDevices stale, Map<Integer, Integer> devices) {
        for (int deviceId : nullSafe(stale.staleDevices())) {
            ctx.state().protocolStore().deleteSession(SessionCrypto.address(stale.accountId(), deviceId));
            devices.put(deviceId, null);
        }
    }

    private static <T> T read(ParleyApiException e, Class<T> type) {
        try {
            return Json.lenient().readValue(e.body(), type);
        } catch (JsonProcessingException parse) {
            throw new ParleyTransportException("the server's " + e.status() + " answer is not readable: "
                    + parse.getOriginalMessage(), parse);
        }
    }

    private static List<Integer> nullSafe(List<Integer> ids) {
        return ids == null ? List.of() : ids;
    }
}
