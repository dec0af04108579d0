// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.util.List;

/**
 * A delivery or read receipt: which messages (by the sender's {@code sentAt}, as Signal names them)
 * reached a device or were shown. Travels as an ordinary padded 1:1 message.
 */
public record Receipt(String type, List<Long> sentAt) {
    public static final String DELIVERED = "delivered";
    public static final String READ = "read";
}
