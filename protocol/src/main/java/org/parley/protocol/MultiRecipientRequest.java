// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One send to the devices of several accounts ({@code PUT /v1/messages/multi}): a ciphertext per
 * device of every account named, committed in one transaction. Used for group fan-out; the server
 * learns only that these devices got an envelope each, not that they form a group.
 */
public record MultiRecipientRequest(long timestamp, List<RecipientMessages> recipients) {
    /** A group of 1000 accounts is far beyond what the client creates; the body limit bounds it too. */
    public static final int MAX_RECIPIENT_ACCOUNTS = 1000;

    public MultiRecipientRequest {
        recipients = Checks.list(recipients, "recipients", MAX_RECIPIENT_ACCOUNTS);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("recipients must name at least one account");
        }
        Set<String> seen = new HashSet<>();
        for (RecipientMessages r : recipients) {
            if (!seen.add(r.accountId())) {
                throw new IllegalArgumentException("recipients names account " + r.accountId()
                        + " more than once; list each account once with all its devices");
            }
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be the sender clock in epoch milliseconds");
        }
    }

    /** The ciphertexts for the devices of one account: exactly one per device (the sender's own device excluded). */
    public record RecipientMessages(String accountId, List<OutgoingMessage> messages) {
        public RecipientMessages {
            Checks.required(accountId, "accountId");
            messages = Checks.list(messages, "messages", Limits.MAX_DEVICES_PER_ACCOUNT);
        }
    }
}
