// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.parley.client.store.LocalState;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKey;
import org.parley.protocol.SignedPreKey;

/**
 * A real device for tests: its own state database in a temp directory, real keys, and the public keys it
 * would have uploaded, handed out one bundle at a time the way the server does.
 */
public final class TestDevice implements AutoCloseable {
    public final String accountId;
    public final int deviceId;
    public final Path home;
    public LocalState state;
    public SessionCrypto crypto;
    private final SignedPreKey signedPreKey;
    private final SignedPreKey lastResortKyber;
    private final int registrationId;
    private final byte[] identityKey;
    private final Deque<PreKey> preKeys = new ArrayDeque<>();
    private final Deque<SignedPreKey> kyberPreKeys = new ArrayDeque<>();

    public TestDevice(Path home, String accountId, int deviceId, int oneTimeKeys) {
        this.home = home;
        this.accountId = accountId;
        this.deviceId = deviceId;
        this.state = LocalState.open(home);
        PreKeyManager manager = new PreKeyManager(state.database(), state.protocolStore(), new KeyGenerator());
        NewDeviceKeys keys = manager.generateDevice();
        manager.install(keys);
        this.registrationId = keys.registrationId();
        this.identityKey = keys.identityKeyPair().getPublicKey().serialize();
        this.signedPreKey = WireKeys.signedPreKey(keys.signedPreKey());
        this.lastResortKyber = WireKeys.kyberPreKey(keys.lastResortKyberPreKey());
        if (oneTimeKeys > 0) {
            KeyUploadRequest upload = manager.createOneTimeKeys(oneTimeKeys, oneTimeKeys);
            preKeys.addAll(upload.preKeys());
            kyberPreKeys.addAll(upload.pqPreKeys());
        }
        this.crypto = new SessionCrypto(state.protocolStore());
    }

    /** Like {@code GET /v1/keys/{accountId}/{deviceId}}: consumes one one-time key of each kind if any are left. */
    public DeviceBundle fetchBundle() {
        PreKey preKey = preKeys.pollFirst();
        SignedPreKey kyber = kyberPreKeys.isEmpty() ? lastResortKyber : kyberPreKeys.pollFirst();
        return new DeviceBundle(deviceId, registrationId, identityKey, signedPreKey, preKey, kyber);
    }

    /** Closes and reopens the state database, as a new process would. */
    public void reopen() {
        state.close();
        state = LocalState.open(home);
        crypto = new SessionCrypto(state.protocolStore());
    }

    public org.signal.libsignal.protocol.SignalProtocolAddress address() {
        return SessionCrypto.address(accountId, deviceId);
    }

    @Override
    public void close() {
        state.close();
    }
}
