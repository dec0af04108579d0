// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.parley.server.http.AuthenticatedDevice;

/**
 * The current connection of each device on this node. A device has at most one: registering a
 * new one atomically replaces the old one, which the caller then closes, so of two near-simultaneous
 * connections the one that registers last wins.
 */
final class ConnectionRegistry {
    private final ConcurrentMap<AuthenticatedDevice, DeviceConnection> byDevice = new ConcurrentHashMap<>();

    /** Makes {@code connection} its device's current one; returns the one it displaced, if any. */
    Optional<DeviceConnection> register(DeviceConnection connection) {
        return Optional.ofNullable(byDevice.put(connection.device(), connection));
    }

    /** Forgets {@code connection} unless a newer one of the same device has already replaced it. */
    void unregister(DeviceConnection connection) {
        byDevice.remove(connection.device(), connection);
    }

    Optional<DeviceConnection> current(String accountId, int deviceId) {
        return Optional.ofNullable(byDevice.get(new AuthenticatedDevice(accountId, deviceId)));
    }

    List<DeviceConnection> all() {
        return List.copyOf(byDevice.values());
    }
}
