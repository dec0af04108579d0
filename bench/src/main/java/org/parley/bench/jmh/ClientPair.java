// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.KeyGenerator;
import org.parley.client.crypto.NewDeviceKeys;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.crypto.WireKeys;
import org.parley.client.store.LocalState;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.KeyUploadRequest;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/**
 * Two client devices, Alice and Bob, each with its own home ({@code state.db}, the client's SQLite
 * protocol store), with a session between them established by a PQXDH bundle and one message each
 * way, so that every later message is an ordinary {@code SignalMessage}.
 *
 * <p>{@link #deliver} does the client's crypto for one message: the sender encrypts through
 * {@link SessionCrypto} inside one state-database transaction (as its {@code MessageSender} does), the receiver
 * decrypts inside one state-database transaction (as its {@code MessageReceiver} does, minus the
 * seen-GUID and contact rows). The plaintext's JSON encoding is left out so that the bytes encrypted
 * are the same as {@link RawPair}'s; {@code EnvelopeCodecBenchmark.plaintextRoundTrip} measures it.
 */
final class ClientPair implements AutoCloseable {
    static final String ALICE = "00000000-0000-4000-8000-00000000a11c";
    static final String BOB = "00000000-0000-4000-8000-000000000b0b";

    private final Device alice;
    private final Device bob;

    private record Device(String accountId, LocalState state, SessionCrypto crypto, NewDeviceKeys keys) {
        SignalProtocolAddress address() {
            return SessionCrypto.address(accountId, 1);
        }
    }

    /**
     * Opens both homes under {@code dir}. {@code synchronous} other than the client's own FULL is a
     * what-if, not what the client ships: the connections are switched to it to show the share of fsync.
     */
    ClientPair(Path dir, String synchronous) {
        alice = device(ALICE, dir.resolve("alice"), synchronous);
        bob = device(BOB, dir.resolve("bob"), synchronous);
        KeyUploadRequest bobOneTime = new PreKeyManager(bob.state().database(), bob.state().protocolStore(),
                new KeyGenerator()).createOneTimeKeys(1, 1);
        alice.crypto().startSession(BOB, new DeviceBundle(1, bob.keys().registrationId(),
                bob.keys().identityKeyPair().getPublicKey().serialize(), WireKeys.signedPreKey(bob.keys().signedPreKey()),
                bobOneTime.preKeys().getFirst(), bobOneTime.pqPreKeys().getFirst()));
        deliver(true, "hello".getBytes(StandardCharsets.UTF_8));
        deliver(false, "hello back".getBytes(StandardCharsets.UTF_8));
    }

    private static Device device(String accountId, Path home, String synchronous) {
        LocalState state = LocalState.open(home);
        if (!"FULL".equals(synchronous)) {
            // StateDatabase offers its connection only inside a transaction, and SQLite refuses to change
            // the safety level there: step out of the (empty) transaction, set it, and step back in.
            state.database().update(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                    s.execute("PRAGMA synchronous=" + synchronous);
                    s.execute("BEGIN IMMEDIATE");
                }
            });
        }
        PreKeyManager keys = new PreKeyManager(state.database(), state.protocolStore(), new KeyGenerator());
        NewDeviceKeys newKeys = keys.generateDevice();
        keys.install(newKeys);
        return new Device(accountId, state, new SessionCrypto(state.protocolStore()), newKeys);
    }

    /** One message from Alice to Bob ({@code fromAlice}) or back; returns the decrypted bytes. */
    byte[] deliver(boolean fromAlice, byte[] plaintext) {
        Device sender = fromAlice ? alice : bob;
        Device receiver = fromAlice ? bob : alice;
        EncryptedMessage m = sender.state().database().sql(c -> sender.crypto().encrypt(receiver.address(), plaintext));
        try {
            return receiver.state().database().transaction(
                    c -> receiver.crypto().decrypt(sender.address(), m.type(), m.content()));
        } catch (DecryptionException e) {
            throw new IllegalStateException("the benchmark's own message did not decrypt", e);
        }
    }

    /**
     * {@code count} messages from one sender, each encrypted in its own durable transaction (a send), and
     * decrypted by the receiver as one burst in one transaction, as its receive loop stores envelopes that
     * arrived together before acking them. Returns the last decrypted bytes.
     */
    byte[] deliverBurst(boolean fromAlice, byte[] plaintext, int count) {
        Device sender = fromAlice ? alice : bob;
        Device receiver = fromAlice ? bob : alice;
        java.util.List<EncryptedMessage> burst = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            burst.add(sender.state().database().sql(c -> sender.crypto().encrypt(receiver.address(), plaintext)));
        }
        try {
            return receiver.state().database().transaction(c -> {
                byte[] last = null;
                for (EncryptedMessage m : burst) {
                    last = receiver.crypto().decrypt(sender.address(), m.type(), m.content());
                }
                return last;
            });
        } catch (DecryptionException e) {
            throw new IllegalStateException("the benchmark's own message did not decrypt", e);
        }
    }

    @Override
    public void close() {
        alice.state().close();
        bob.state().close();
    }
}
