// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.time.Clock;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.util.KeyHelper;

/**
 * Generates libsignal key material. Pure: nothing is stored here, so a registration can generate keys,
 * ask the server, and persist them only once the server accepted them.
 *
 * <p>Signatures are made with the device identity key over the serialised public key, which is what
 * libsignal verifies when it processes a bundle: the signed EC prekey and every Kyber prekey (one-time
 * and last resort alike) carry one; one-time EC prekeys do not.
 */
public final class KeyGenerator {
    private final Clock clock;

    public KeyGenerator(Clock clock) {
        this.clock = clock;
    }

    public KeyGenerator() {
        this(Clock.systemUTC());
    }

    public NewDeviceKeys newDevice(int signedPreKeyId, int lastResortKyberPreKeyId) {
        return newDevice(IdentityKeyPair.generate(), signedPreKeyId, lastResortKyberPreKeyId);
    }

    /** A linked device: the account's identity, and its own registration id and prekeys. */
    public NewDeviceKeys newDevice(IdentityKeyPair identity, int signedPreKeyId, int lastResortKyberPreKeyId) {
        // Registration ids are 14 bits (1..16380); the protocol rejects anything else.
        int registrationId = KeyHelper.generateRegistrationId(false);
        return new NewDeviceKeys(identity, registrationId,
                signedPreKey(identity, signedPreKeyId),
                kyberPreKey(identity, lastResortKyberPreKeyId));
    }

    public SignedPreKeyRecord signedPreKey(IdentityKeyPair identity, int keyId) {
        ECKeyPair keyPair = ECKeyPair.generate();
        byte[] signature = identity.getPrivateKey().calculateSignature(keyPair.getPublicKey().serialize());
        return new SignedPreKeyRecord(keyId, clock.millis(), keyPair, signature);
    }

    public KyberPreKeyRecord kyberPreKey(IdentityKeyPair identity, int keyId) {
        KEMKeyPair keyPair = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        byte[] signature = identity.getPrivateKey().calculateSignature(keyPair.getPublicKey().serialize());
        return new KyberPreKeyRecord(keyId, clock.millis(), keyPair, signature);
    }

    public PreKeyRecord oneTimePreKey(int keyId) {
        return new PreKeyRecord(keyId, ECKeyPair.generate());
    }
}
