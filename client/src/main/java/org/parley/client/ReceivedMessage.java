// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.List;
import org.parley.client.crypto.AttachmentPointer;

/**
 * A decrypted message.
 *
 * @param senderHandle    the sender's handle as the server vouches for it ({@code envelope.sourceHandle}); for a
 *                        sealed message, the handle this device knows for the verified sender account (may be null)
 * @param sentAt          the sender's clock, from inside the ciphertext
 * @param serverTimestamp when the server accepted the message
 * @param syncedTo        for a copy of a message this account sent from another device, the handle it was
 *                        sent to; null for a message from someone else
 * @param sealed          it came with sealed sender: the server did not know the sender, and the sender shown
 *                        was verified from its certificate (signed by the trust root pinned at registration)
 * @param attachments     the message's attachments (not downloaded yet: {@link ParleyClient#download}); empty
 *                        when it has none
 */
public record ReceivedMessage(
        String guid,
        String senderHandle,
        String sourceAccountId,
        int sourceDeviceId,
        String text,
        long sentAt,
        long serverTimestamp,
        String syncedTo,
        boolean sealed, List<AttachmentPointer> attachments) implements ReceiveEvent {

    public ReceivedMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** Message text stays out of logs and stack traces. */
    @Override
    public String toString() {
        return "ReceivedMessage[guid=" + guid + ", from=" + sourceAccountId + "." + sourceDeviceId
                + ", sentAt=" + sentAt + ", text=<" + text.length() + " chars>, attachments=" + attachments.size() + "]";
    }
}
