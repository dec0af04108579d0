// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * The durable per-device queues. The SQL lives in the implementation; this interface speaks only
 * our types so that another backend can take its place.
 */
public interface MessageStore extends org.parley.server.accounts.DeviceQueues {
    /**
     * Commits every message of {@code batch} in one transaction: either all are queued or none.
     * When this returns, the messages are durable to the database's synchronous level.
     *
     * @return the same messages with their queue ids, in the order given
     */
    List<QueuedMessage> insert(List<QueuedMessage> batch);

    /**
     * As {@link #insert}, and tells for each message for which {@code linked} holds the highest id
     * its queue held just before it, or an id between that and its own (see {@link StoredEnvelope};
     * {@link StoredEnvelope#UNKNOWN} for the others): what lets delivery hand it to a connection
     * without a read. Finding it costs a read per queue (on SQLite only the first time a queue is
     * asked for), hence only for the queues that someone here is delivering.
     */
    List<StoredEnvelope> insertLinked(List<QueuedMessage> batch, Predicate<QueuedMessage> linked);

    /**
     * Up to {@code limit} messages of the device's queue with an id above {@code afterId}, in queue
     * order. Expiry is the purge job's business: a message it has not deleted yet is still returned.
     */
    List<QueuedMessage> page(String accountId, int deviceId, long afterId, int limit);

    /** The highest queue id of the device's queue, or 0 when it is empty. */
    long lastId(String accountId, int deviceId);

    /**
     * Deletes the message {@code guid} only if it is in this device's queue, so that one device can
     * never delete another's envelope by guessing a guid.
     *
     * @return whether a message was deleted
     */
    boolean delete(String accountId, int deviceId, String guid);

    /**
     * Deletes every entry (each only from its own device's queue, as above) in one transaction:
     * acks batched into one commit.
     *
     * @return how many messages were deleted
     */
    long delete(List<QueueEntry> entries);

    /**
     * Deletes the queues of every device of the account: re-registration replaced the devices. Called
     * from inside the accounts feature's registration write, which it joins (one commit for both).
     */
    @Override
    void deleteAccountQueues(String accountId);

    /** Deletes one device's queue: the device was unlinked. Joins the caller's write. */
    @Override
    void deleteDeviceQueue(String accountId, int deviceId);

    /** Queued messages per destination device of one account (devices with none are absent). */
    java.util.Map<Integer, Long> countByDevice(String accountId);

    /** All queued messages of all devices: the queue-depth gauge. */
    long count();

    /** Deletes the messages whose {@code expiresAt} is at or before {@code now}; returns how many. */
    long deleteExpired(Instant now);
}
