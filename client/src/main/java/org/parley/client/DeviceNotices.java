// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;
import java.util.List;
import org.parley.client.store.LocalState;
import org.parley.client.store.OwnDevices;

/** Turns the device notices the store recorded into events, each reported once. */
final class DeviceNotices {
    private DeviceNotices() {}

    static List<DeviceNoticeEvent> drain(LocalState state) {
        List<OwnDevices.Notice> notices = state.ownDevices().unreported();
        if (notices.isEmpty()) {
            return List.of();
        }
        List<DeviceNoticeEvent> events = notices.stream()
                .map(n -> new DeviceNoticeEvent(DeviceNoticeEvent.Change.valueOf(n.change().toUpperCase(java.util.Locale.ROOT)),
                        n.deviceId(), n.registrationId(), n.byDeviceId(), Instant.ofEpochMilli(n.sentAt())))
                .toList();
        state.ownDevices().markReported(notices);
        return events;
    }
}
