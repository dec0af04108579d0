// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.List;

/** The outcome of {@link ParleyClient#send}: delivered to the server, or the handle is not on Parley. */
public sealed interface SendResult {
    /** The normalised handle the message was addressed to. */
    String handle();

    /**
     * Committed to the queues of {@code deviceCount} devices of the recipient (at least one: a send that
     * would reach none is a {@link NothingToSendException}) and {@code syncCount} other devices of the
     * sender. {@code identityChanges} lists devices whose identity key changed while sending (a new
     * safety number to compare). {@code sealed}: sent with sealed sender, so the server did not learn
     * the sender.
     */
    record Delivered(String handle, String accountId, int deviceCount, int syncCount, long serverTimestamp,
                     List<IdentityChangeNotice> identityChanges, boolean sealed) implements SendResult {
        /** An identified send. */
        public Delivered(String handle, String accountId, int deviceCount, int syncCount, long serverTimestamp,
                         List<IdentityChangeNotice> identityChanges) {
            this(handle, accountId, deviceCount, syncCount, serverTimestamp, identityChanges, false);
        }

        public Delivered {
            if (deviceCount < 1) {
                throw new IllegalArgumentException("a delivery reaches at least one device; was " + deviceCount);
            }
            identityChanges = List.copyOf(identityChanges);
        }
    }

    /** The handle has no Parley device; the message was not sent and should go out as SMS. */
    record NotOnParley(String handle) implements SendResult {}
}
