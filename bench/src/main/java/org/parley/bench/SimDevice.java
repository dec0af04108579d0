// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.concurrent.locks.ReentrantLock;
import org.parley.client.transport.DeviceCredentials;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SignalProtocolStore;

/**
 * One simulated device: a registered primary device (id 1) of a fresh account, with its libsignal state
 * held in memory. The store is null for devices that never encrypt (lookup requesters, idle connections).
 *
 * <p>The store is not thread-safe and a device both sends (encrypts) and receives (decrypts) at once,
 * so every use of it goes through {@link #lock()}.
 */
final class SimDevice {
    private final int index;
    private final String handle;
    private final DeviceCredentials credentials;
    private final String authorization;
    private final int registrationId;
    private final SignalProtocolStore store;
    private final ReentrantLock lock = new ReentrantLock();

    SimDevice(int index, String handle, DeviceCredentials credentials, int registrationId, SignalProtocolStore store) {
        this.index = index;
        this.handle = handle;
        this.credentials = credentials;
        this.authorization = credentials.authorizationHeader();
        this.registrationId = registrationId;
        this.store = store;
    }

    int index() {
        return index;
    }

    String handle() {
        return handle;
    }

    String accountId() {
        return credentials.accountId();
    }

    int deviceId() {
        return credentials.deviceId();
    }

    DeviceCredentials credentials() {
        return credentials;
    }

    /** The precomputed {@code Authorization} header value. */
    String authorization() {
        return authorization;
    }

    int registrationId() {
        return registrationId;
    }

    SignalProtocolStore store() {
        if (store == null) {
            throw new IllegalStateException("device " + index + " was registered without crypto state");
        }
        return store;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** The libsignal address other devices use for this one. */
    SignalProtocolAddress address() {
        return new SignalProtocolAddress(credentials.accountId(), credentials.deviceId());
    }

    @Override
    public String toString() {
        return "SimDevice[" + index + "]";
    }
}
