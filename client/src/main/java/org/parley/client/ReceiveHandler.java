// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * Called on the receiving thread for every event. A message's state is already committed when the
 * handler sees it and the ack follows the handler's return, so a handler that throws stops
 * {@link ParleyClient#receive} and that message is not shown again.
 */
@FunctionalInterface
public interface ReceiveHandler {
    void onEvent(ReceiveEvent event);
}
