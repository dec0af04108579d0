// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

/**
 * An envelope just committed to its queue, with the highest id its queue held when it was
 * inserted. Since a queue's ids commit in increasing order (see {@link MessageStore#insert}), no
 * envelope of that queue with an id between {@code previousId} and {@code message.id()} can ever
 * exist: a connection that has sent everything up to {@code previousId} may send this one next
 * without reading the queue.
 *
 * @param previousId the highest id in the same queue before this insert (0 when it was empty), or an
 *     id between that one and this envelope's (the SQLite store remembers the last id it assigned, which
 *     may have been acked since: a higher previous id only sends delivery to read the queue), or
 *     {@link #UNKNOWN} when the insert was not asked for it
 */
public record StoredEnvelope(QueuedMessage message, long previousId) {
    /** Above every id: an envelope with this previous id is never sent without reading the queue. */
    public static final long UNKNOWN = Long.MAX_VALUE;
}
