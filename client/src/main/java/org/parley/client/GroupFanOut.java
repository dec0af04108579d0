// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.client.crypto.SealedCrypto;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyStateException;
import org.parley.protocol.Json;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedMultiRecipientRequest.SealedRecipient;
import org.parley.protocol.SealedRefusedResponse;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SendMessageResponse;

/**
 * One group send (a text, a sender key, a group update) split by what each member lets us do
 * (docs/privacy.md, "Sealed sender"): the members whose access key we hold get it sealed in one
 * {@code PUT /v1/sealed-messages/multi}; the others identified in one {@code PUT /v1/messages/multi};
 * our own other devices a sealed sync copy through {@code PUT /v1/sealed-messages/{ownAccountId}} (never
 * inside the sealed multi, where the one device left out would name the sender).
 *
 * <p>The requests commit apart, so an account once delivered is remembered ({@link #done}) and a retry
 * after a 409 or 410 sends only to the rest. A 401 of the sealed multi names the members whose key was
 * refused: their keys are forgotten and they get the send identified ({@link SendMode#AUTO}), or the
 * send fails ({@link SendMode#SEALED}).
 */
final class GroupFanOut {
    /** The sealed ciphertext for one device, with our sender certificate; called inside one transaction. */
    @FunctionalInterface
    interface Sealer {
        OutgoingMessage seal(SealedCrypto crypto, String accountId, int deviceId, byte[] certificate);
    }

    /** What one call delivered: accounts sealed and identified (ours not counted), devices, the first server time. */
    record Delivered(int sealedAccounts, int identifiedAccounts, int devices, long serverTimestamp) {}

    private final DeviceContext ctx;
    private final MultiSender sender;
    private final SendMode mode;
    private final Set<String> done = new HashSet<>();
    /** Members whose key the server refused during this send. */
    private final Set<String> refused = new HashSet<>();
    /** Our own key, for sealed sync copies; null: they go identified. */
    private byte[] ownKey;

    GroupFanOut(DeviceContext ctx, MultiSender sender, SendMode mode) {
        this.ctx = ctx;
        this.sender = sender;
        this.mode = mode;
        this.ownKey = mode == SendMode.IDENTIFIED ? null
                : SealedSenderSetup.ownAccessKey(ctx.state(), ctx.api()).orElse(null);
    }

    /** Our access key when this send may seal (it goes into group updates and sender keys), else null. */
    byte[] ownKey() {
        return ownKey;
    }

    /** Whether this fan-out already committed its send to {@code accountId}. */
    boolean delivered(String accountId) {
        return done.contains(accountId);
    }

    /**
     * With {@link SendMode#SEALED}: fails before anything is sent when a member of {@code targets} has no
     * access key here, naming them.
     */
    void requireSealable(Map<String, Set<Integer>> targets) {
        if (mode != SendMode.SEALED) {
            return;
        }
        List<String> missing = new ArrayList<>();
        targets.forEach((accountId, devices) -> {
            if (!accountId.equals(ctx.accountId()) && !devices.isEmpty() && key(accountId) == null) {
                missing.add(ctx.state().contacts().handleOf(accountId).orElse("account " + accountId));
            }
        });
        if (!missing.isEmpty()) {
            throw new ParleyStateException("cannot send sealed to the whole group: this device has no access key of "
                    + String.join(", ", missing) + " (it comes with their first message to you); send without --sealed");
        }
    }

    /**
     * Sends to every account of {@code targets} not delivered yet. A 409 or 410 is thrown for the caller to
     * correct (with {@link MultiSender#correct}) and call again.
     */
    Delivered send(Map<String, Set<Integer>> targets, MultiSender.Encryptor identified, Sealer sealed) {
        Map<String, Set<Integer>> sealedTargets = new LinkedHashMap<>();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        Map<String, Set<Integer>> identifiedTargets = new LinkedHashMap<>();
        Set<Integer> ownSealed = null;
        for (Map.Entry<String, Set<Integer>> e : targets.entrySet()) {
            String accountId = e.getKey();
            if (done.contains(accountId) || e.getValue().isEmpty()) {
                continue;
            }
            if (accountId.equals(ctx.accountId())) {
                if (ownKey != null) {
                    ownSealed = e.getValue();
                } else if (mode == SendMode.SEALED) {
                    // As for a 1:1 --sealed send: no sync copies rather than identified ones.
                    done.add(accountId);
                } else {
                    identifiedTargets.put(accountId, e.getValue());
                }
                continue;
            }
            byte[] key = key(accountId);
            if (key != null) {
                sealedTargets.put(accountId, e.getValue());
                keys.put(accountId, key);
            } else {
                identifiedTargets.put(accountId, e.getValue());
            }
        }
        requireSealable(identifiedTargets);
        int devices = 0;
        long serverTimestamp = 0;
        byte[] certificate = sealedTargets.isEmpty() && ownSealed == null ? null
                : SealedSenderSetup.certificate(ctx.state(), ctx.api(), ctx.clock().millis());
        if (!sealedTargets.isEmpty()) {
            long now = ctx.clock().millis();
            SealedMultiRecipientRequest request = ctx.state().database().sql(c -> {
                SealedCrypto crypto = new SealedCrypto(ctx.state().protocolStore(), ctx.accountId(), ctx.deviceId());
                List<SealedRecipient> out = new ArrayList<>();
                sealedTargets.forEach((accountId, ids) -> out.add(new SealedRecipient(accountId, keys.get(accountId),
                        ids.stream().map(d -> sealed.seal(crypto, accountId, d, certificate)).toList())));
                return new SealedMultiRecipientRequest(now, out);
            });
            try {
                serverTimestamp = ctx.api().sendSealedMulti(request).serverTimestamp();
            } catch (ParleyApiException e) {
                if (e.status() != 401 || mode == SendMode.SEALED) {
                    throw e;
                }
                // Nothing was stored: forget the refused keys and go again, those members identified. An answer
                // that names none (not ours) refuses every key of this send, for this send only.
                List<String> named = refusedAccounts(e);
                for (String accountId : named) {
                    refused.add(accountId);
                    ctx.state().sealedSender().forgetContactAccessKey(accountId);
                }
                if (named.isEmpty() || !sealedTargets.keySet().containsAll(named)) {
                    refused.addAll(sealedTargets.keySet());
                }
                return send(targets, identified, sealed);
            }
            done.addAll(sealedTargets.keySet());
            devices += sealedTargets.values().stream().mapToInt(Set::size).sum();
        }
        if (!identifiedTargets.isEmpty()) {
            SendMessageResponse response = sender.sendMultiOnce(identifiedTargets, identified);
            if (response != null && serverTimestamp == 0) {
                serverTimestamp = response.serverTimestamp();
            }
            done.addAll(identifiedTargets.keySet());
            devices += identifiedTargets.values().stream().mapToInt(Set::size).sum();
        }
        if (ownSealed != null) {
            Set<Integer> ownDevices = ownSealed;
            long now = ctx.clock().millis();
            SealedSendRequest request = ctx.state().database().sql(c -> {
                SealedCrypto crypto = new SealedCrypto(ctx.state().protocolStore(), ctx.accountId(), ctx.deviceId());
                return new SealedSendRequest(now, ownDevices.stream()
                        .map(d -> sealed.seal(crypto, ctx.accountId(), d, certificate)).toList(), ctx.deviceId());
            });
            try {
                SendMessageResponse response = ctx.api().sendSealed(ctx.accountId(), ownKey, request);
                if (serverTimestamp == 0) {
                    serverTimestamp = response.serverTimestamp();
                }
            } catch (ParleyApiException e) {
                if (e.status() != 401) {
                    throw e;
                }
                // Our key changed under us (another device replaced it): the copies go identified.
                ownKey = null;
                return merge(sealedTargets.size(), identifiedTargets.size(), devices, serverTimestamp,
                        send(targets, identified, sealed));
            }
            done.add(ctx.accountId());
            devices += ownDevices.size();
        }
        int identifiedOthers = (int) identifiedTargets.keySet().stream().filter(a -> !a.equals(ctx.accountId())).count();
        return new Delivered(sealedTargets.size(), identifiedOthers, devices, serverTimestamp);
    }

    private static Delivered merge(int sealedAccounts, int identifiedAccounts, int devices, long serverTimestamp,
                                   Delivered rest) {
        return new Delivered(sealedAccounts + rest.sealedAccounts(), identifiedAccounts + rest.identifiedAccounts(),
                devices + rest.devices(), serverTimestamp != 0 ? serverTimestamp : rest.serverTimestamp());
    }

    /** The member's access key, unless this send never seals or the server refused it. */
    private byte[] key(String accountId) {
        if (mode == SendMode.IDENTIFIED || refused.contains(accountId)) {
            return null;
        }
        return ctx.state().sealedSender().contactAccessKey(accountId).orElse(null);
    }

    private static List<String> refusedAccounts(ParleyApiException e) {
        try {
            SealedRefusedResponse body = Json.lenient().readValue(e.body(), SealedRefusedResponse.class);
            return body.accounts() == null ? List.of() : body.accounts();
        } catch (JsonProcessingException | IllegalArgumentException parse) {
            return List.of();
        }
    }

    /** The sealer for pairwise encryption: the session message sealed with our certificate. */
    static Sealer pairwise(byte[] plaintext) {
        return (crypto, accountId, deviceId, certificate) -> {
            var m = crypto.encrypt(SessionCrypto.address(accountId, deviceId), certificate, plaintext);
            return new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content());
        };
    }
}
