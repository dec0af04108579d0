// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One device of this account as the server lists it, and what this device knows of it end-to-end.
 *
 * @param thisDevice true for the device asking
 * @param announced  false when no device of the account ever told this one about it (no device notice,
 *                   not in the list it was linked with): the server may have added it silently
 */
public record DeviceStatus(int deviceId, int registrationId, Instant created, LocalDate lastSeen, boolean thisDevice,
                           boolean announced) {}
