// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import org.parley.client.crypto.KeyGenerator;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;
import org.signal.libsignal.protocol.util.KeyHelper;

/**
 * The baseline: libsignal alone, Alice and Bob on libsignal's {@link InMemorySignalProtocolStore}, with
 * a session set up like {@link ClientPair}'s (PQXDH bundle, one message each way). {@link #deliver}
 * encrypts with a {@link SessionCipher}, serialises, parses and decrypts: exactly the libsignal work of
 * the client's path, with no storage and no plaintext encoding.
 */
final class RawPair {
    private final Device alice = new Device(new SignalProtocolAddress(ClientPair.ALICE, 1));
    private final Device bob = new Device(new SignalProtocolAddress(ClientPair.BOB, 1));

    private static final class Device {
        final SignalProtocolAddress address;
        final IdentityKeyPair identity = IdentityKeyPair.generate();
        final int registrationId = KeyHelper.generateRegistrationId(false);
        final InMemorySignalProtocolStore store = new InMemorySignalProtocolStore(identity, registrationId);

        Device(SignalProtocolAddress address) {
            this.address = address;
        }
    }

    RawPair() throws Exception {
        // Key generation is setup, not measured; the client's generator is a thin layer over libsignal's.
        KeyGenerator generator = new KeyGenerator();
        SignedPreKeyRecord signed = generator.signedPreKey(bob.identity, 1);
        KyberPreKeyRecord kyber = generator.kyberPreKey(bob.identity, 2);
        PreKeyRecord oneTime = generator.oneTimePreKey(3);
        bob.store.storeSignedPreKey(signed.getId(), signed);
        bob.store.storeKyberPreKey(kyber.getId(), kyber);
        bob.store.storePreKey(oneTime.getId(), oneTime);
        new SessionBuilder(alice.store, bob.address).process(new PreKeyBundle(bob.registrationId, 1,
                oneTime.getId(), oneTime.getKeyPair().getPublicKey(),
                signed.getId(), signed.getKeyPair().getPublicKey(), signed.getSignature(),
                bob.identity.getPublicKey(),
                kyber.getId(), kyber.getKeyPair().getPublicKey(), kyber.getSignature()));
        deliver(true, "hello".getBytes());
        deliver(false, "hello back".getBytes());
    }

    /** One message from Alice to Bob ({@code fromAlice}) or back; returns the decrypted bytes. */
    byte[] deliver(boolean fromAlice, byte[] plaintext) throws Exception {
        Device sender = fromAlice ? alice : bob;
        Device receiver = fromAlice ? bob : alice;
        CiphertextMessage m = new SessionCipher(sender.store, receiver.address).encrypt(plaintext);
        byte[] wire = m.serialize();
        SessionCipher cipher = new SessionCipher(receiver.store, sender.address);
        return m.getType() == CiphertextMessage.PREKEY_TYPE
                ? cipher.decrypt(new PreKeySignalMessage(wire))
                : cipher.decrypt(new SignalMessage(wire));
    }
}
