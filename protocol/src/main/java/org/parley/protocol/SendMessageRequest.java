// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * One message: a ciphertext per device of the destination account, and one per other device of the
 * sender (sync copies). Both lists are committed to the queues in one transaction.
 */
public record SendMessageRequest(long timestamp, List<OutgoingMessage> messages, List<OutgoingMessage> syncMessages) {
    public SendMessageRequest {
        messages = Checks.list(messages, "messages", Limits.MAX_DEVICES_PER_ACCOUNT);
        syncMessages = Checks.list(syncMessages, "syncMessages", Limits.MAX_DEVICES_PER_ACCOUNT);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must hold one ciphertext per destination device");
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be the sender clock in epoch milliseconds");
        }
    }
}
