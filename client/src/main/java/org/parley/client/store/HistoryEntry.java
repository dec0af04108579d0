// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

/**
 * One entry of the conversation history.
 *
 * @param id              local order: entries are numbered as they are committed
 * @param guid            the envelope's GUID for a received entry; null for one this device sent
 * @param peerHandle      the other party: the sender of an incoming entry, the recipient of an outgoing one;
 *                        null when the server no longer knows the sender's handle (deleted account)
 * @param peerAccountId   the other party's account id, when known
 * @param sourceDeviceId  the sending device for a received entry (for a sync copy: our own other device)
 * @param body            the text; null for an undecryptable entry
 * @param reason          why an undecryptable entry could not be read ({@code DecryptionException.Reason} name)
 * @param detail          the decryption error's message for an undecryptable entry
 * @param sentAt          the sender's clock (for undecryptable entries: the server's timestamp)
 * @param serverTimestamp when the server accepted the message
 * @param shown           whether a user interface has displayed it
 */
public record HistoryEntry(long id, Direction direction, Kind kind, String guid, String peerHandle,
                           String peerAccountId, Integer sourceDeviceId, String body, String reason, String detail,
                           long sentAt, long serverTimestamp, boolean shown) {

    public enum Direction { IN, OUT }

    public enum Kind { MESSAGE, UNDECRYPTABLE }

    /** Message text stays out of logs and stack traces. */
    @Override
    public String toString() {
        return "HistoryEntry[id=" + id + ", " + direction + ", " + kind + ", guid=" + guid + ", peer=" + peerAccountId
                + ", body=<" + (body == null ? 0 : body.length()) + " chars>, shown=" + shown + "]";
    }
}
