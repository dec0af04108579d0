// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.security.SecureRandom;
import java.util.Optional;
import org.parley.client.error.ParleyException;
import org.parley.client.store.LocalState;
import org.parley.client.store.SealedSenderStore;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.SenderCertificateResponse;

/**
 * This device's sealed-sender state: the trust root pinned at registration, our unidentified access
 * key (random, uploaded, then handed to contacts inside our messages), and a sender certificate that
 * is fetched again when less than an hour of it is left.
 */
final class SealedSenderSetup {
    /** Refetch a certificate this long before it expires, so a message is never sealed with a dying one. */
    private static final long CERTIFICATE_MARGIN_MILLIS = 3_600_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedSenderSetup() {}

    /**
     * At registration: pins the server's trust root and uploads our access key (a new one unless this
     * home already has one). Best effort: a failure leaves sealed sending off until {@link #ensure}
     * succeeds, and never fails the registration.
     *
     * @return null on success, else what went wrong
     */
    static String atRegistration(LocalState state, ParleyApi api) {
        try {
            state.sealedSender().pinTrustRoot(api.sealedSenderRoot().publicKey());
            byte[] key = state.sealedSender().ownAccessKey().orElseGet(SealedSenderSetup::newKey);
            upload(state, api, key);
            return null;
        } catch (ParleyException e) {
            return e.getMessage();
        }
    }

    /**
     * Our access key, uploading a new one first when this home has none and the account has none either
     * (homes registered before sealed sender). Empty when the server cannot take it now, or when another
     * device of the account set the key (a device linked later must be given the key with the account's
     * other secrets).
     */
    static Optional<byte[]> ownAccessKey(LocalState state, ParleyApi api) {
        Optional<byte[]> key = state.sealedSender().ownAccessKey();
        if (key.isPresent()) {
            return key;
        }
        try {
            // Contacts will seal to us with it: we must be able to verify what they send.
            trustRoot(state, api);
            if (api.accessKeyStatus().accessKeySet()) {
                // Another device of this account set the key (a linked device that was not given it):
                // replacing it would void the key every contact holds. This device advertises none.
                return Optional.empty();
            }
            byte[] fresh = newKey();
            upload(state, api, fresh);
            return Optional.of(fresh);
        } catch (ParleyException e) {
            return Optional.empty();
        }
    }

    /** The trust root pinned at registration; a home registered before sealed sender pins it on first use. */
    static byte[] trustRoot(LocalState state, ParleyApi api) {
        return state.sealedSender().trustRoot().orElseGet(() -> {
            byte[] root = api.sealedSenderRoot().publicKey();
            state.sealedSender().pinTrustRoot(root);
            return root;
        });
    }

    /** A sender certificate valid for at least the next hour. */
    static byte[] certificate(LocalState state, ParleyApi api, long now) {
        Optional<SealedSenderStore.Certificate> cached = state.sealedSender().certificate();
        if (cached.isPresent() && cached.get().expiresAt() - CERTIFICATE_MARGIN_MILLIS > now) {
            return cached.get().serialized();
        }
        SenderCertificateResponse fresh = api.senderCertificate();
        state.sealedSender().setCertificate(new SealedSenderStore.Certificate(fresh.certificate(), fresh.expiresAt()));
        return fresh.certificate();
    }

    /** Upload first, store second: a key we hand to contacts is always one the server accepts. */
    private static void upload(LocalState state, ParleyApi api, byte[] key) {
        api.setAccessKey(new AccessKeySettings(key, false));
        state.sealedSender().setOwnAccessKey(key);
    }

    private static byte[] newKey() {
        byte[] key = new byte[AccessKeySettings.KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }
}
