// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/** The long-lived keys of a device that is about to register, still only in memory. */
public record NewDeviceKeys(
        IdentityKeyPair identityKeyPair,
        int registrationId,
        SignedPreKeyRecord signedPreKey,
        KyberPreKeyRecord lastResortKyberPreKey) {

    @Override
    public String toString() {
        return "NewDeviceKeys[registrationId=" + registrationId + "]";
    }
}
