// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

/**
 * Told after envelopes for a device are committed to its queue, so that whoever delivers to that
 * device can wake up. Today the delivery feature implements it in-process; with several nodes a
 * pub/sub implementation fans the call out to the node holding the device's connection.
 *
 * <p>Implementations must return quickly and must not throw: the envelopes are already durable
 * and the send has succeeded whatever happens here.
 */
@FunctionalInterface
public interface MessageListener {
    void messageStored(String accountId, int deviceId);
}
