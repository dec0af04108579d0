// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.List;

/**
 * Told after envelopes are committed to their queues, so that whoever delivers to those devices
 * can wake up. The delivery feature hands them to a connection on this node in memory when that is
 * provably in queue order (see {@link StoredEnvelope}); with several nodes a pub/sub signal wakes
 * the node holding the device's connection, which reads its queue.
 *
 * <p>Implementations must return quickly and must not throw: the envelopes are already durable
 * and the send has succeeded whatever happens here.
 */
@FunctionalInterface
public interface MessageListener {
    /** {@code envelopes} (all from one sending device, in insert order) are committed. */
    void messagesStored(List<StoredEnvelope> envelopes);

    /**
     * Whether envelopes for this device could be handed over here, so that the insert should find
     * their {@link StoredEnvelope#previousId} (a read per queue that is wasted otherwise).
     */
    default boolean deliversHere(String accountId, int deviceId) {
        return false;
    }
}
