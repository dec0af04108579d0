// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.Objects;
import org.parley.protocol.MessageType;

/**
 * One envelope in the queue of the destination device {@code (accountId, deviceId)}.
 *
 * @param id the queue position, assigned by the store on insert (0 for a message not yet stored);
 *     strictly increasing per store and never reused
 * @param content ciphertext only; the server cannot read it
 * @param expiresAt epoch millis after which the purge job deletes the envelope undelivered
 */
public record QueuedMessage(
        long id,
        String accountId,
        int deviceId,
        String guid,
        String sourceAccountId,
        int sourceDeviceId,
        MessageType type,
        byte[] content,
        long clientTimestamp,
        long serverTimestamp,
        long expiresAt) {

    public QueuedMessage {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(sourceAccountId, "sourceAccountId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
    }

    /** The same envelope at queue position {@code newId}. */
    QueuedMessage withId(long newId) {
        return new QueuedMessage(newId, accountId, deviceId, guid, sourceAccountId, sourceDeviceId, type, content,
                clientTimestamp, serverTimestamp, expiresAt);
    }
}
