// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.SignedPreKey;

/**
 * The keys a device registers with, which the keys feature keeps. The wiring passes the keys
 * feature's implementation, so accounts imports nothing from keys.
 *
 * <p>Registration checks the keys before its write transaction (signature checks are CPU work that
 * must not hold the writer) and stores them inside it: {@link #storeInitialKeys} and
 * {@link #deleteAccountKeys} are called from inside the registration's {@code Database.write} and
 * join that transaction (a nested write joins its caller), so a device and its keys commit together.
 */
public interface DeviceKeys {
    /** Checks a new device's keys with libsignal; throws the refusal the keys endpoints give too. */
    void check(DeviceRegistration device);

    /** Stores a new device's signed prekeys, replacing any it had; joins the caller's write. */
    void storeInitialKeys(String accountId, int deviceId, SignedPreKey signedPreKey, SignedPreKey pqLastResortPreKey);

    /** Deletes every key of every device of the account (re-registration); joins the caller's write. */
    void deleteAccountKeys(String accountId);

    /** Deletes every key of one device (it was unlinked); joins the caller's write. */
    void deleteDeviceKeys(String accountId, int deviceId);
}
