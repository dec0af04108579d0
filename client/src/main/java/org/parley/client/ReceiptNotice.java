// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.List;

/**
 * A contact's device received ({@code delivered}) or showed ({@code read}) messages we sent, named by
 * their {@code sentAt}; {@code texts} holds the matching texts from our history (null where unknown).
 */
public record ReceiptNotice(String kind, String handle, String accountId, List<Long> sentAts, List<String> texts)
        implements ReceiveEvent {
    public ReceiptNotice {
        sentAts = List.copyOf(sentAts);
        texts = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(texts));
    }

    /** Message text stays out of logs and stack traces. */
    @Override
    public String toString() {
        return "ReceiptNotice[" + kind + ", from=" + accountId + ", sentAts=" + sentAts + "]";
    }
}
