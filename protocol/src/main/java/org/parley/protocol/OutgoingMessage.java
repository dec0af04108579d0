// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** One ciphertext for one destination device. */
public record OutgoingMessage(int deviceId, int registrationId, MessageType type, byte[] content) {
    public OutgoingMessage {
        Checks.range(deviceId, "deviceId", 1, 127);
        Checks.range(registrationId, "registrationId", 0, 0x3FFF);
        Checks.required(type, "type");
        Checks.required(content, "content");
        if (content.length == 0) {
            throw new IllegalArgumentException("content must not be empty");
        }
        if (content.length > Limits.MAX_CIPHERTEXT_BYTES) {
            throw new MessageTooLargeException(content.length);
        }
    }
}
