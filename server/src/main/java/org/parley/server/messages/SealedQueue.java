// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SendMessageResponse;

/**
 * The one commit path for sealed-sender envelopes, for the {@code sealedsender} feature, which has
 * already authorised the send by the recipient's access key: the same device checks and the same
 * single transaction as an identified send, but the envelopes are stored with no source.
 */
public interface SealedQueue {
    /**
     * Queues one sealed ciphertext per device of {@code destination} (all of them, but for
     * {@code request.excludedDeviceId()}).
     *
     * @throws org.parley.server.errors.NotFound unknown destination; InvalidRequest a device named twice;
     *     409 devices missing or extra, 410 stale registration ids
     */
    SendMessageResponse sendSealed(String destination, SealedSendRequest request);

    /**
     * Queues one sealed ciphertext per device of every account in {@code request} (all of their devices),
     * all in one transaction; the caller has authorised every account by its access key.
     *
     * @throws org.parley.server.errors.InvalidRequest a device named twice for one account;
     *     MismatchedDevices (409) and ReplacedDevices (410) per account, as for the identified multi
     */
    SendMessageResponse sendSealedMulti(SealedMultiRecipientRequest request);
}
