// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.crypto.DecryptionException;

/**
 * An envelope that could not be read. It has been acked, so it cannot block the queue; the sender has to
 * send again.
 */
public record UndecryptableMessage(
        String guid,
        String senderHandle,
        String sourceAccountId,
        int sourceDeviceId,
        long serverTimestamp,
        DecryptionException.Reason reason,
        String detail) implements ReceiveEvent {}
