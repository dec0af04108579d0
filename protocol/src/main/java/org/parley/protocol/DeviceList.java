// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** {@code GET /v1/devices}: the caller's account's devices, ordered by id. */
public record DeviceList(List<Device> devices) {
    /**
     * One device: its id, registration id, when it was added (epoch millis) and the last UTC day
     * (epoch day) it authenticated.
     */
    public record Device(int deviceId, int registrationId, long createdAt, long lastSeenDay) {}
}
