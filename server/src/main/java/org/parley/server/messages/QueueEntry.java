// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.Objects;

/**
 * The envelope {@code guid} in the queue of device {@code (accountId, deviceId)}: what an ack names.
 *
 * @param id the envelope's queue id when the acking side knows it (the delivery connection that sent
 *     it), so the store deletes it by its key without looking the guid up; {@link #UNKNOWN_ID} when only
 *     the guid is known
 */
public record QueueEntry(String accountId, int deviceId, long id, String guid) {
    /** No queue id: the entry is found by its guid within the device's queue. */
    public static final long UNKNOWN_ID = 0;

    public QueueEntry {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(guid, "guid");
    }

    /** An entry known by its guid only. */
    public QueueEntry(String accountId, int deviceId, String guid) {
        this(accountId, deviceId, UNKNOWN_ID, guid);
    }
}
