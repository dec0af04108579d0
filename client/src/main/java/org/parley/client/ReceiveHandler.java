// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * Called on the receiving thread for every event. A message is already in the history (and acked) when
 * the handler sees it, and is marked shown when the handler returns; a handler that throws stops
 * {@link ParleyClient#receive}, and the next receive hands that message over again. Identity changes are
 * reported once, before the messages that revealed them.
 */
@FunctionalInterface
public interface ReceiveHandler {
    void onEvent(ReceiveEvent event);
}
