// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code PUT /v1/sealed-messages/multi}, with no credentials of the sender: one {@code sealed}
 * ciphertext per device of every account named, each account authorised by its own unidentified
 * access key, all committed in one transaction. Used for group fan-out; the server learns which devices
 * got an envelope, not who sent them nor that they form a group.
 *
 * <p>Why a key per recipient and not Signal's one header with the XOR of all keys: a refused key then
 * names its account in the 401, so the client can forget that one key and send to that member
 * identified, instead of guessing which of the keys went stale. The answer tells the sender no more
 * than one sealed send per account would (the same 401 for an unknown account, a keyless one and a wrong
 * key), and the per-IP limit counts every account named, so guessing keys is as slow as one by one.
 */
public record SealedMultiRecipientRequest(long timestamp, List<SealedRecipient> recipients) {
    public SealedMultiRecipientRequest {
        recipients = Checks.list(recipients, "recipients", MultiRecipientRequest.MAX_RECIPIENT_ACCOUNTS);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("recipients must name at least one account");
        }
        Set<String> seen = new HashSet<>();
        for (SealedRecipient r : recipients) {
            if (!seen.add(r.accountId())) {
                throw new IllegalArgumentException("recipients names account " + r.accountId()
                        + " more than once; list each account once with all its devices");
            }
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be the sender clock in epoch milliseconds");
        }
    }

    /**
     * The sealed ciphertexts for every device of one account.
     *
     * @param accessKey the account's unidentified access key (16 bytes), or null for an account that accepts
     *     sealed sends from anyone
     */
    public record SealedRecipient(String accountId, byte[] accessKey, List<OutgoingMessage> messages) {
        public SealedRecipient {
            Checks.required(accountId, "accountId");
            if (accessKey != null && accessKey.length != AccessKeySettings.KEY_BYTES) {
                throw new IllegalArgumentException("accessKey of " + accountId + " must be " + AccessKeySettings.KEY_BYTES
                        + " bytes, was " + accessKey.length);
            }
            messages = Checks.list(messages, "messages", Limits.MAX_DEVICES_PER_ACCOUNT);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages of " + accountId + " must hold one ciphertext per device");
            }
            for (OutgoingMessage m : messages) {
                if (m.type() != MessageType.SEALED) {
                    throw new IllegalArgumentException("every message of a sealed send must have type sealed");
                }
            }
        }
    }
}
