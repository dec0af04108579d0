// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.Locale;

/**
 * One part's state: {@code queued} until the gateway's {@code submit_sm_resp}, then {@code accepted},
 * then what its delivery receipt says (SMPP 3.4 message_state, 5.2.28).
 */
public enum PartState {
    QUEUED, ACCEPTED, DELIVERED, UNDELIVERABLE, EXPIRED, REJECTED, DELETED, UNKNOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PartState fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Final and unsuccessful: the handset did not and will not get this part. */
    boolean failed() {
        return this == UNDELIVERABLE || this == EXPIRED || this == REJECTED || this == DELETED;
    }

    /**
     * The state a receipt's SMPP {@code message_state} (1..9) reports; intermediate states
     * (enroute, accepted, scheduled, skipped) keep the part {@code accepted}.
     */
    static PartState ofMessageState(int messageState) {
        return switch (messageState) {
            case 2 -> DELIVERED;
            case 3 -> EXPIRED;
            case 4 -> DELETED;
            case 5 -> UNDELIVERABLE;
            case 7 -> UNKNOWN;
            case 8 -> REJECTED;
            default -> ACCEPTED; // 0 scheduled, 1 enroute, 6 accepted, 9 skipped
        };
    }

    /** The state a receipt text's {@code stat:} field reports (DELIVRD, UNDELIV, ...). */
    static PartState ofReceiptStat(String stat) {
        return switch (stat.toUpperCase(Locale.ROOT)) {
            case "DELIVRD" -> DELIVERED;
            case "EXPIRED" -> EXPIRED;
            case "DELETED" -> DELETED;
            case "UNDELIV" -> UNDELIVERABLE;
            case "REJECTD" -> REJECTED;
            case "UNKNOWN" -> UNKNOWN;
            default -> ACCEPTED; // ENROUTE, ACCEPTD
        };
    }
}
