// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * How a {@link ParleyClient#receive} call ended.
 *
 * @param messages          envelopes stored in the history as messages in this call
 * @param failures          envelopes that could not be decrypted (stored as such, reported, acked)
 * @param duplicatesSkipped envelopes that had been processed before (redeliveries), acked again
 * @param shown             history entries handed to the handler, including ones an earlier call stored but
 *                          did not get to show
 * @param reconnects        how many times the delivery connection was lost and opened again
 * @param detail            for {@link StopReason#CONNECTED_ELSEWHERE} and {@link StopReason#SERVER_CLOSED} the
 *                          server's close reason, for {@link StopReason#UNREACHABLE} the last connection error;
 *                          otherwise null
 * @param refill            the prekeys uploaded afterwards; null when the check itself failed ({@code refillError}
 *                          says why) or was skipped because the server could not be reached
 */
public record ReceiveSummary(int messages, int failures, int duplicatesSkipped, int shown, int reconnects,
                             StopReason stopReason, String detail, PreKeyRefill refill, String refillError) {

    public enum StopReason {
        /** The server sent its whole backlog ({@code queue-empty}); only in drain mode. */
        DRAINED,
        /** {@link ReceiveOptions#maxMessages} entries were handed over. */
        MAX_MESSAGES,
        /** Connected, but nothing arrived within the timeout. */
        TIMEOUT,
        /** No server could be reached (or kept the connection open) within the timeout. */
        UNREACHABLE,
        /** Another connection of this device took over (close code 4409); not retried, to not fight it. */
        CONNECTED_ELSEWHERE,
        /** The server closed the connection for a reason a reconnect cannot fix (a protocol error). */
        SERVER_CLOSED
    }
}
