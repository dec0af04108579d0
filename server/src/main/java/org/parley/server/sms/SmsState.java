// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.List;
import java.util.Locale;

/**
 * Where an SMS is: {@code queued} in the outbox, {@code accepted} by the gateway (every part; its text
 * is deleted then), {@code delivered} to the handset (every part, by delivery receipt), or
 * {@code failed} (refused by the gateway, reported undeliverable, or queued past sms.max-queue-time).
 */
public enum SmsState {
    QUEUED, ACCEPTED, DELIVERED, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SmsState fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The message's state from its parts' states. */
    static SmsState of(List<PartState> parts) {
        if (parts.stream().anyMatch(PartState::failed)) {
            return FAILED;
        }
        if (parts.contains(PartState.QUEUED)) {
            return QUEUED;
        }
        return parts.stream().allMatch(p -> p == PartState.DELIVERED) ? DELIVERED : ACCEPTED;
    }
}
