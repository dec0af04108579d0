// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the server knows about an account's existence, for the legal register: days only, because
 * that is all the server keeps of activity ({@code devices.last_seen_day}) and all a disclosure
 * should show of creation times.
 */
public interface SubscriberRecords {
    /** The account {@code handle} (normalised) belongs to now, if any. */
    Optional<Subscriber> subscriber(String handle);

    record Subscriber(String accountId, String handle, LocalDate accountCreated, LocalDate handleCreated,
                      List<Device> devices) {
        public Subscriber {
            devices = List.copyOf(devices);
        }
    }

    record Device(int deviceId, LocalDate created, LocalDate lastSeen) {}
}
