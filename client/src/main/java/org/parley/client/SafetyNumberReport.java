// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.List;
import org.parley.client.crypto.SafetyNumber;

/**
 * The safety numbers between this device and each device of {@code handle}. Empty when the handle is not
 * on Parley ({@code onParley} false). See {@link org.parley.client.crypto.SafetyNumbers} for why there is
 * one per device.
 */
public record SafetyNumberReport(String handle, boolean onParley, List<DeviceSafetyNumber> devices) {
    public SafetyNumberReport {
        devices = List.copyOf(devices);
    }

    public record DeviceSafetyNumber(int deviceId, SafetyNumber safetyNumber) {}
}
