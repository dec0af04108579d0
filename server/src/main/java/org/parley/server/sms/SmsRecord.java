// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.List;

/**
 * What the server keeps about one SMS (never its text): who asked, to whom, when, in how many parts,
 * and where each part is.
 *
 * @param accountId the sending account; null for a verification code
 * @param failure   why it failed, in words (null unless {@code status} is failed)
 */
public record SmsRecord(String id, String accountId, Purpose purpose, String recipient, SmsAlphabet alphabet,
                        SmsState status, String failure, long createdAt, long updatedAt, List<PartState> parts) {
    public SmsRecord {
        parts = List.copyOf(parts);
    }

    /** Why an SMS was sent. */
    public enum Purpose {
        MESSAGE, VERIFICATION;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Purpose fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
