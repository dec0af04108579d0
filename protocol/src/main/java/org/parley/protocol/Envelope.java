// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** A queued ciphertext as the recipient device receives it. The server never sees the plaintext. */
public record Envelope(
        String guid,
        String sourceAccountId,
        int sourceDeviceId,
        String sourceHandle,
        int destinationDeviceId,
        MessageType type,
        byte[] content,
        long clientTimestamp,
        long serverTimestamp) {}
