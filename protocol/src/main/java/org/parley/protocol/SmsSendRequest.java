// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.regex.Pattern;

/**
 * Asks the server to send {@code text} as a plain SMS to {@code to} (a phone number). SMS is not
 * end-to-end encrypted: a client sends this only on its user's explicit choice.
 *
 * @param clientMessageId the client's idempotency key (1..64 of {@code [A-Za-z0-9_-]}): a retry with the same
 *                        key is the same SMS, never a second one. Optional; without it a retry may send twice.
 */
public record SmsSendRequest(String to, String text, String clientMessageId) {
    /** Characters of text an SMS request may carry; the server's {@code sms.max-parts} usually binds first. */
    public static final int MAX_TEXT_CHARS = 2000;
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public SmsSendRequest {
        Checks.required(to, "to");
        Checks.required(text, "text");
        if (text.isEmpty() || text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("text must be 1.." + MAX_TEXT_CHARS + " characters, was " + text.length());
        }
        if (clientMessageId != null && !CLIENT_ID.matcher(clientMessageId).matches()) {
            throw new IllegalArgumentException("clientMessageId must be 1..64 characters of A-Z, a-z, 0-9, _ and -");
        }
    }
}
