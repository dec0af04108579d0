// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyTransportException;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Json;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.MultiRecipientRequest.RecipientMessages;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.StaleDevices;
import org.parley.protocol.StaleDevicesResponse;

/**
 * Sends to every device of a set of accounts by account id, without directory lookups: the devices
 * are the ones we hold sessions with (an account we have none with gets its bundles fetched), and
 * the server's 409/410 correct the list, as for a single send. The sender's own other devices are
 * always included, so they keep a copy.
 *
 * <p>{@link #sendMulti} uses {@code PUT /v1/messages/multi} (one request for a whole group);
 * {@link #sendDirect} uses {@code PUT /v1/messages/{accountId}} with sync copies, exactly like a
 * text message, so that a receipt looks like a message to the server.
 */
final class MultiSender {
    static final int MAX_ATTEMPTS = 3;

    /** The ciphertext for one device; called inside one transaction per attempt. */
    @FunctionalInterface
    interface Encryptor {
        OutgoingMessage encrypt(String accountId, int deviceId);
    }

    private final DeviceContext ctx;
    private final SessionSetup sessions;
    /** Account id to device id to the registration id we expect (null: whatever the bundle says). */
    private final Map<String, Map<Integer, Integer>> wanted = new LinkedHashMap<>();
    /** Accounts the server no longer has (every device extra): left out of later attempts. */
    private final Set<String> gone = new HashSet<>();

    MultiSender(DeviceContext ctx, Collection<String> accounts) {
        this.ctx = ctx;
        this.sessions = new SessionSetup(ctx);
        Set<String> all = new java.util.LinkedHashSet<>(accounts);
        all.add(ctx.accountId());
        for (String accountId : all) {
            Map<Integer, Integer> devices = new TreeMap<>();
            for (int deviceId : ctx.state().protocolStore().deviceIdsWithSession(accountId)) {
                if (!isMe(accountId, deviceId)) {
                    devices.put(deviceId, null);
                }
            }
            wanted.put(accountId, devices);
        }
    }

    /** Pairwise encryption of {@code plaintext} (already encoded and padded) for every device. */
    Encryptor pairwise(java.util.function.Function<String, byte[]> plaintextFor) {
        return (accountId, deviceId) -> {
            EncryptedMessage m = ctx.crypto().encrypt(SessionCrypto.address(accountId, deviceId), plaintextFor.apply(accountId));
            return new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content());
        };
    }

    /** The devices to encrypt for, with a session each; an account may map to none. */
    Map<String, Set<Integer>> resolve() {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Integer, Integer>> e : wanted.entrySet()) {
            String accountId = e.getKey();
            if (gone.contains(accountId)) {
                continue;
            }
            Map<Integer, Integer> devices = e.getValue();
            if (devices.isEmpty() && !accountId.equals(ctx.accountId())) {
                out.put(accountId, fetchAll(accountId, devices));
            } else if (devices.isEmpty()) {
                out.put(accountId, Set.of()); // our own other devices: the server's 409 names any
            } else {
                out.put(accountId, sessions.ensure(accountId, devices));
            }
        }
        return out;
    }

    private Set<Integer> fetchAll(String accountId, Map<Integer, Integer> devices) {
        Set<Integer> ready = new TreeSet<>();
        try {
            for (DeviceBundle bundle : ctx.api().bundles(accountId).devices()) {
                ctx.crypto().startSession(accountId, bundle);
                devices.put(bundle.deviceId(), bundle.registrationId());
                ready.add(bundle.deviceId());
            }
        } catch (ParleyApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            gone.add(accountId);
        }
        return ready;
    }

    /** One {@code PUT /v1/messages/multi} to {@code targets}; null when there is no device to send to. */
    SendMessageResponse sendMultiOnce(Map<String, Set<Integer>> targets, Encryptor encryptor) {
        long now = ctx.clock().millis();
        List<RecipientMessages> recipients = ctx.state().database().sql(c -> {
            List<RecipientMessages> out = new ArrayList<>();
            targets.forEach((accountId, devices) -> {
                if (!devices.isEmpty()) {
                    out.add(new RecipientMessages(accountId, devices.stream().map(d -> encryptor.encrypt(accountId, d)).toList()));
                }
            });
            return out;
        });
        if (recipients.isEmpty()) {
            return null;
        }
        return ctx.api().sendMulti(new MultiRecipientRequest(now, recipients));
    }

    /** {@link #sendMultiOnce} with the server's corrections, a bounded number of times. */
    SendMessageResponse sendMulti(Encryptor encryptor) {
        ParleyApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return sendMultiOnce(resolve(), encryptor);
            } catch (ParleyApiException e) {
                if (!correct(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * A 1:1 send to {@code peer} with sync copies for our other devices, through
     * {@code PUT /v1/messages/{peer}} like any text message.
     */
    SendMessageResponse sendDirect(String peer, Encryptor encryptor) {
        ParleyApiException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, Set<Integer>> targets = resolve();
            Set<Integer> peerDevices = targets.getOrDefault(peer, Set.of());
            if (peerDevices.isEmpty()) {
                return null;
            }
            long now = ctx.clock().millis();
            SendMessageRequest request = ctx.state().database().sql(c -> new SendMessageRequest(now,
                    peerDevices.stream().map(d -> encryptor.encrypt(peer, d)).toList(),
                    peer.equals(ctx.accountId()) ? List.of() : targets.getOrDefault(ctx.accountId(), Set.of()).stream()
                            .map(d -> encryptor.encrypt(ctx.accountId(), d)).toList()));
            try {
                return ctx.api().send(peer, request);
            } catch (ParleyApiException e) {
                if (!correct(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** Applies a 409 or 410 to the device lists; false for any other refusal. */
    boolean correct(ParleyApiException e) {
        if (e.status() == 409 && "mismatched_devices".equals(e.error())) {
            for (DeviceMismatch m : read(e, MismatchedDevicesResponse.class).mismatches()) {
                Map<Integer, Integer> devices = wanted.get(m.accountId());
                if (devices == null) {
                    continue;
                }
                for (int extra : nullSafe(m.extraDevices())) {
                    devices.remove(extra);
                    ctx.state().protocolStore().deleteSession(SessionCrypto.address(m.accountId(), extra));
                }
                for (int missing : nullSafe(m.missingDevices())) {
                    if (!isMe(m.accountId(), missing)) {
                        devices.putIfAbsent(missing, null);
                    }
                }
                if (devices.isEmpty() && !nullSafe(m.extraDevices()).isEmpty() && nullSafe(m.missingDevices()).isEmpty()) {
                    gone.add(m.accountId());
                }
            }
            return true;
        }
        if (e.status() == 410 && "stale_devices".equals(e.error())) {
            for (StaleDevices stale : read(e, StaleDevicesResponse.class).stale()) {
                Map<Integer, Integer> devices = wanted.computeIfAbsent(stale.accountId(), a -> new TreeMap<>());
                for (int deviceId : nullSafe(stale.staleDevices())) {
                    ctx.state().protocolStore().deleteSession(SessionCrypto.address(stale.accountId(), deviceId));
                    devices.put(deviceId, null);
                }
            }
            return true;
        }
        return false;
    }

    private boolean isMe(String accountId, int deviceId) {
        return accountId.equals(ctx.accountId()) && deviceId == ctx.deviceId();
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
