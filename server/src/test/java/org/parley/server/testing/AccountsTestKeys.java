// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.security.SecureRandom;
import java.util.Base64;
import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.PreKey;
import org.parley.protocol.SignedPreKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;

/** Real libsignal key material for one test device: an identity key and prekeys it signs. */
public final class AccountsTestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdentityKeyPair identity = IdentityKeyPair.generate();
    private final String password = randomPassword();

    public IdentityKeyPair identity() {
        return identity;
    }

    public byte[] identityKey() {
        return identity.getPublicKey().serialize();
    }

    public String password() {
        return password;
    }

    public SignedPreKey signedEc(int keyId) {
        byte[] publicKey = ECKeyPair.generate().getPublicKey().serialize();
        return new SignedPreKey(keyId, publicKey, identity.getPrivateKey().calculateSignature(publicKey));
    }

    public SignedPreKey signedKyber(int keyId) {
        byte[] publicKey = KEMKeyPair.generate(KEMKeyType.KYBER_1024).getPublicKey().serialize();
        return new SignedPreKey(keyId, publicKey, identity.getPrivateKey().calculateSignature(publicKey));
    }

    /** A correctly signed key whose signature was made by some other identity. */
    public static SignedPreKey signedByStranger(SignedPreKey key) {
        IdentityKeyPair stranger = IdentityKeyPair.generate();
        return new SignedPreKey(key.keyId(), key.publicKey(), stranger.getPrivateKey().calculateSignature(key.publicKey()));
    }

    public static PreKey ec(int keyId) {
        return new PreKey(keyId, ECKeyPair.generate().getPublicKey().serialize());
    }

    /** The registration of a primary device with fresh signed prekeys. */
    public DeviceRegistration registration(int registrationId) {
        return new DeviceRegistration(registrationId, password, identityKey(), signedEc(1), signedKyber(1));
    }

    /** The HTTP Basic header value for {@code accountId.deviceId} with this device's password. */
    public String basic(String accountId, int deviceId) {
        return basic(accountId, deviceId, password);
    }

    public static String basic(String accountId, int deviceId, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((accountId + "." + deviceId + ":" + password).getBytes());
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
