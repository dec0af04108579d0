// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import org.parley.client.error.ParleyCryptoException;
import org.parley.client.error.ParleyStateException;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.PreKey;
import org.parley.protocol.SignedPreKey;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/** Converts between libsignal key records and the protocol's wire records (public halves only). */
public final class WireKeys {
    private WireKeys() {}

    public static PreKey preKey(PreKeyRecord record) {
        try {
            return new PreKey(record.getId(), record.getKeyPair().getPublicKey().serialize());
        } catch (InvalidKeyException e) {
            throw new ParleyStateException("stored prekey " + record.getId() + " is corrupt", e);
        }
    }

    public static SignedPreKey signedPreKey(SignedPreKeyRecord record) {
        try {
            return new SignedPreKey(record.getId(), record.getKeyPair().getPublicKey().serialize(), record.getSignature());
        } catch (InvalidKeyException e) {
            throw new ParleyStateException("stored signed prekey " + record.getId() + " is corrupt", e);
        }
    }

    public static SignedPreKey kyberPreKey(KyberPreKeyRecord record) {
        try {
            return new SignedPreKey(record.getId(), record.getKeyPair().getPublicKey().serialize(), record.getSignature());
        } catch (InvalidKeyException e) {
            throw new ParleyStateException("stored Kyber prekey " + record.getId() + " is corrupt", e);
        }
    }

    /**
     * Builds libsignal's bundle from a fetched device bundle. Signatures are not checked here:
     * {@code SessionBuilder.process} verifies both against the bundle's identity key.
     */
    public static PreKeyBundle bundle(DeviceBundle device) {
        try {
            IdentityKey identityKey = new IdentityKey(device.identityKey());
            SignedPreKey signed = device.signedPreKey();
            SignedPreKey kyber = device.pqPreKey();
            if (signed == null || kyber == null) {
                throw new ParleyCryptoException("the bundle of device " + device.deviceId()
                        + " lacks its signed " + (signed == null ? "EC" : "Kyber") + " prekey", null);
            }
            PreKey oneTime = device.preKey();
            return new PreKeyBundle(
                    device.registrationId(),
                    device.deviceId(),
                    oneTime == null ? PreKeyBundle.NULL_PRE_KEY_ID : oneTime.keyId(),
                    oneTime == null ? null : new ECPublicKey(oneTime.publicKey()),
                    signed.keyId(),
                    new ECPublicKey(signed.publicKey()),
                    signed.signature(),
                    identityKey,
                    kyber.keyId(),
                    new KEMPublicKey(kyber.publicKey()),
                    kyber.signature());
        } catch (InvalidKeyException e) {
            throw new ParleyCryptoException("the bundle of device " + device.deviceId() + " holds an invalid key", e);
        }
    }
}
