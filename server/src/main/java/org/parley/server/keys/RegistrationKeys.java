// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.DeviceKeys;
import org.signal.libsignal.protocol.IdentityKey;

/**
 * The keys feature's side of registration: the same libsignal checks as key uploads
 * ({@link PreKeyChecks}), and storage that joins the registration's transaction.
 */
final class RegistrationKeys implements DeviceKeys {
    private final KeyStore store;

    RegistrationKeys(KeyStore store) {
        this.store = store;
    }

    @Override
    public void check(DeviceRegistration device) {
        IdentityKey identity = PreKeyChecks.identityKey(device.identityKey(), "device.identityKey");
        PreKeyChecks.signedEcPreKey(identity, device.signedPreKey(), "device.signedPreKey");
        PreKeyChecks.signedKyberPreKey(identity, device.pqLastResortPreKey(), "device.pqLastResortPreKey");
    }

    @Override
    public void storeInitialKeys(String accountId, int deviceId, SignedPreKey signedPreKey,
                                 SignedPreKey pqLastResortPreKey) {
        store.storeInitialKeys(accountId, deviceId, signedPreKey, pqLastResortPreKey);
    }

    @Override
    public void deleteDeviceKeys(String accountId, int deviceId) {
        store.deleteDeviceKeys(accountId, deviceId);
    }

    @Override
    public void deleteAccountKeys(String accountId) {
        store.deleteAccountKeys(accountId);
    }
}
