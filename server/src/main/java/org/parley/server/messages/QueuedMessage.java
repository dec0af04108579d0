// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.Objects;
import org.parley.protocol.MessageType;

/**
 * One envelope in the queue of the destination device {@code (accountId, deviceId)}.
 *
 * @param id the queue position, assigned by the store on insert (0 for a message not yet stored);
 *     strictly increasing per store and never reused
 * @param sourceAccountId the sending account, or null for a sealed-sender envelope (then
 *     {@code sourceDeviceId} is 0 and {@code type} is {@code sealed}): the server never learns its sender
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
        if ((sourceAccountId == null) != (type == MessageType.SEALED)) {
            throw new IllegalArgumentException("an envelope has a source exactly when it is not sealed");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
    }

    /** A sealed-sender envelope: stored and delivered without any source. */
    public boolean sealed() {
        return sourceAccountId == null;
    }

    /** The same envelope at queue position {@code newId}. */
    QueuedMessage withId(long newId) {
        return new QueuedMessage(newId, accountId, deviceId, guid, sourceAccountId, sourceDeviceId, type, content,
                clientTimestamp, serverTimestamp, expiresAt);
    }
}
