// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code PUT /v1/sealed-messages/{accountId}}, with no credentials of the sender: one {@code sealed}
 * ciphertext per device of the destination account.
 *
 * @param excludedDeviceId the one device of the destination left out, or null: only a sender writing sync
 *     copies to its own account's other devices sets it (to its own device id), since it cannot encrypt
 *     for itself
 */
public record SealedSendRequest(long timestamp, List<OutgoingMessage> messages, Integer excludedDeviceId) {
    public SealedSendRequest {
        messages = Checks.list(messages, "messages", Limits.MAX_DEVICES_PER_ACCOUNT);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must hold one ciphertext per destination device");
        }
        for (OutgoingMessage m : messages) {
            if (m.type() != MessageType.SEALED) {
                throw new IllegalArgumentException("every message of a sealed send must have type sealed");
            }
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be the sender clock in epoch milliseconds");
        }
        if (excludedDeviceId != null) {
            Checks.range(excludedDeviceId, "excludedDeviceId", 1, 127);
        }
    }
}
