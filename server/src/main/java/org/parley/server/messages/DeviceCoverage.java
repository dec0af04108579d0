// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.StaleDevices;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.errors.InvalidRequest;

/**
 * Compares the ciphertexts of a send with the devices an account has: one ciphertext per device,
 * no more, no less, each encrypted for the device's current registration id. Pure functions, so
 * that the rules are tested without a server.
 */
final class DeviceCoverage {
    private DeviceCoverage() {}

    /** Refuses a list naming one device twice: which copy should be queued would be a guess. */
    static void requireDistinct(List<OutgoingMessage> given, String field) {
        Set<Integer> seen = new HashSet<>();
        for (OutgoingMessage m : given) {
            if (!seen.add(m.deviceId())) {
                throw new InvalidRequest(field + " names device " + m.deviceId()
                        + " more than once; send exactly one ciphertext per device");
            }
        }
    }

    /** The devices left out and the ones named that do not exist, or empty when they match exactly. */
    static Optional<DeviceMismatch> mismatch(String accountId, List<DeviceRecord> expected, List<OutgoingMessage> given) {
        Set<Integer> expectedIds = new HashSet<>();
        expected.forEach(d -> expectedIds.add(d.deviceId()));
        Set<Integer> givenIds = new HashSet<>();
        given.forEach(m -> givenIds.add(m.deviceId()));
        List<Integer> missing = expectedIds.stream().filter(id -> !givenIds.contains(id)).sorted().toList();
        List<Integer> extra = givenIds.stream().filter(id -> !expectedIds.contains(id)).sorted().toList();
        if (missing.isEmpty() && extra.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceMismatch(accountId, missing, extra));
    }

    /**
     * The named devices whose registration id differs from the current one. Call it after
     * {@link #mismatch} found none, so that every given device exists.
     */
    static Optional<StaleDevices> stale(String accountId, List<DeviceRecord> expected, List<OutgoingMessage> given) {
        Map<Integer, Integer> current = new TreeMap<>();
        expected.forEach(d -> current.put(d.deviceId(), d.registrationId()));
        List<Integer> stale = new ArrayList<>();
        for (OutgoingMessage m : given) {
            Integer registrationId = current.get(m.deviceId());
            if (registrationId != null && registrationId != m.registrationId()) {
                stale.add(m.deviceId());
            }
        }
        if (stale.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StaleDevices(accountId, stale.stream().sorted().toList()));
    }

    /** {@code devices} without {@code deviceId}: the sender's other devices. */
    static List<DeviceRecord> without(List<DeviceRecord> devices, int deviceId) {
        return devices.stream().filter(d -> d.deviceId() != deviceId).toList();
    }
}
