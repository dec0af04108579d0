// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

/**
 * The message queues of an account's devices, which the messages feature owns. Re-registration
 * replaces the devices and unlinking removes one: each must empty the queues in the same
 * transaction, so it asks the owner rather than deleting from another feature's table, and the
 * owner's write joins the caller's.
 */
public interface DeviceQueues {
    /** Deletes the queued messages of every device of {@code accountId}; joins the caller's write. */
    void deleteAccountQueues(String accountId);

    /** Deletes the queued messages of one device (it was unlinked); joins the caller's write. */
    void deleteDeviceQueue(String accountId, int deviceId);
}
