// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;

/**
 * About the devices of this account: a sibling device told this one, end-to-end, that it added or
 * removed a device; or ({@link Change#UNANNOUNCED}) a message came from a sibling device no device ever
 * announced, which the server may have added silently.
 *
 * @param byDeviceId the device that sent the notice (for {@link Change#UNANNOUNCED}: the unannounced device)
 */
public record DeviceNoticeEvent(Change change, int deviceId, int registrationId, int byDeviceId, Instant sentAt)
        implements ReceiveEvent {
    public enum Change { ADDED, REMOVED, UNANNOUNCED }

    public boolean added() {
        return change == Change.ADDED;
    }
}
