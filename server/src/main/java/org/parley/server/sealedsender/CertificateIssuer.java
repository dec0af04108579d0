// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.parley.protocol.SenderCertificateResponse;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.errors.NotFound;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.metadata.certificate.SenderCertificate;
import org.signal.libsignal.metadata.certificate.ServerCertificate;

/**
 * Issues sender certificates (libsignal): trust root -> server certificate -> sender certificate.
 * The server key pair is made at each start and lives only in memory; the trust root signs its
 * certificate, so clients that pinned the root accept every node's and every restart's certificates.
 */
final class CertificateIssuer {
    private final Accounts accounts;
    private final Clock clock;
    private final Duration lifetime;
    private final ECKeyPair serverKey;
    private final ServerCertificate serverCertificate;

    CertificateIssuer(ECKeyPair trustRoot, Accounts accounts, Clock clock, Duration lifetime, SecureRandom random) {
        this.accounts = accounts;
        this.clock = clock;
        this.lifetime = lifetime;
        this.serverKey = ECKeyPair.generate();
        // The key id only tells certificates of different server keys apart; it is not a secret.
        this.serverCertificate = new ServerCertificate(trustRoot.getPrivateKey(), random.nextInt(1 << 24),
                serverKey.getPublicKey());
    }

    /** A certificate for the device, with the identity key it registered, valid for the configured lifetime. */
    SenderCertificateResponse issue(String accountId, int deviceId) {
        Optional<DeviceRecord> device = accounts.devices(accountId).stream()
                .filter(d -> d.deviceId() == deviceId).findFirst();
        if (device.isEmpty()) {
            // Only between re-registration and the device's next request: its credentials are gone too.
            throw new NotFound("this device no longer exists");
        }
        long expiresAt = clock.millis() + lifetime.toMillis();
        ECPublicKey identityKey;
        try {
            identityKey = new ECPublicKey(device.get().identityKey());
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a registered identity key does not parse", e);
        }
        // The String overload: the ServiceId one writes "<ACI:uuid>" into the certificate, and the
        // recipient's SealedSessionCipher would then look for a session under that name.
        // The slot libsignal names e164 carries the sender's handle (phone number or email): a recipient
        // device that never had an identified message from the sender (a device linked later) can still
        // name it. It travels inside the sealed envelope, so the server reveals nothing by it.
        SenderCertificate certificate = serverCertificate.issue(serverKey.getPrivateKey(), accountId,
                accounts.handleOf(accountId), deviceId, identityKey, expiresAt);
        return new SenderCertificateResponse(certificate.getSerialized(), expiresAt);
    }
}
