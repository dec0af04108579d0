// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * How a {@link ParleyClient#receive} call ended.
 *
 * @param closeReason the server's close reason when it closed the connection, otherwise null
 * @param refill the prekeys uploaded afterwards; null when the check itself failed ({@code refillError} says why)
 */
public record ReceiveSummary(int messages, int failures, int duplicatesSkipped, StopReason stopReason,
                             String closeReason, PreKeyRefill refill, String refillError) {

    public enum StopReason {
        /** No message arrived within the timeout. */
        TIMEOUT,
        /** Another connection of this device took over (close code 4409). */
        CONNECTED_ELSEWHERE,
        /** The server closed the connection for another reason. */
        SERVER_CLOSED
    }
}
