// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * A text in a group.
 *
 * @param senderHandle the sender's handle as the server vouches for it (ours for a copy of a message our
 *                     other device sent)
 * @param fromMe       true for a copy of a message this account sent from another device
 * @param sealed       it came sealed: the server did not know the sender, which was read from the sender
 *                     certificate and verified against the pinned trust root
 */
public record GroupMessage(
        String guid,
        String groupId,
        String groupName,
        String senderHandle,
        String sourceAccountId,
        int sourceDeviceId,
        String text,
        long sentAt,
        long serverTimestamp,
        boolean fromMe,
        boolean sealed) implements ReceiveEvent {

    /** Message text stays out of logs and stack traces. */
    @Override
    public String toString() {
        return "GroupMessage[guid=" + guid + ", group=" + groupId + ", from=" + sourceAccountId + "." + sourceDeviceId
                + ", text=<" + (text == null ? 0 : text.length()) + " chars>]";
    }
}
