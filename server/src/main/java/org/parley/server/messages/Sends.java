// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.server.http.AuthenticatedDevice;

/**
 * The one service path of a send, whatever carried it: {@code PUT /v1/messages/{accountId}} and the
 * delivery WebSocket's {@code send} frame both call this, so their checks, durability and errors
 * are the same.
 */
public interface Sends {
    /**
     * Queues the message and returns once every envelope is committed.
     *
     * @throws org.parley.server.errors.ServiceException what the HTTP route maps to its status
     *     (404, 400, 409, 410, 429 when the store is saturated)
     */
    SendMessageResponse send(AuthenticatedDevice sender, String destination, SendMessageRequest request);
}
