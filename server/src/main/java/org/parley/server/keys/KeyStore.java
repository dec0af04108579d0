// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.util.List;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKeyCounts;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.Accounts.DeviceRecord;

/** Prekey storage for the keys endpoints. Inputs are already validated; each method is one transaction. */
interface KeyStore {
    /**
     * Stores a new device's signed EC prekey and Kyber last-resort prekey, replacing any keys the
     * device had. The signatures must already have been checked ({@link PreKeyChecks}); the device
     * row must exist. Called from inside registration's write, which it joins.
     */
    void storeInitialKeys(String accountId, int deviceId, SignedPreKey signedPreKey, SignedPreKey pqLastResortPreKey);

    /** Deletes every key of every device of the account (re-registration); joins the caller's write. */
    void deleteAccountKeys(String accountId);

    /** Deletes every key of one device (it was unlinked); joins the caller's write. */
    void deleteDeviceKeys(String accountId, int deviceId);

    /**
     * Upserts whatever the upload carries: one-time keys by key id, the signed prekeys by kind,
     * unless the device would then hold more than {@code maxOneTimeKeys} one-time keys of a kind.
     *
     * @return {@link UploadResult#STORED}, or why nothing was written
     */
    UploadResult upload(String accountId, int deviceId, KeyUploadRequest upload, int maxOneTimeKeys);

    enum UploadResult { STORED, NO_DEVICE, OVER_CAP }

    /** One-time keys the device has left. */
    PreKeyCounts counts(String accountId, int deviceId);

    /**
     * Builds one bundle per device, consuming one one-time EC and one one-time Kyber prekey of each
     * where it has any (the last-resort Kyber key otherwise), atomically: two concurrent calls never
     * hand out the same one-time key. Devices without signed prekeys are left out.
     */
    List<FetchedBundle> takeBundles(String accountId, List<DeviceRecord> devices);

    /** A bundle, and whether its Kyber key is the last-resort one (no one-time Kyber key was left). */
    record FetchedBundle(DeviceBundle bundle, boolean lastResort) {}
}
