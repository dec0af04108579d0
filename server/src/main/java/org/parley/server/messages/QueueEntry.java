// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.Objects;

/** The envelope {@code guid} in the queue of device {@code (accountId, deviceId)}: what an ack names. */
public record QueueEntry(String accountId, int deviceId, String guid) {
    public QueueEntry {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(guid, "guid");
    }
}
