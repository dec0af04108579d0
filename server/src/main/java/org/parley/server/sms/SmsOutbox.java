// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.List;
import java.util.Optional;

/**
 * The persistent outbox and delivery record of SMS. An SMS is queued with its text; the text is
 * removed once every part has been accepted by the gateway, and the rest is removed after the
 * retention. Parts are claimed with a lease so that two senders (nodes, or a node and its restarted
 * self) never submit the same part at the same time, and a crashed sender's claim runs out.
 */
interface SmsOutbox {
    /** A new SMS: {@code body} is the text, {@code reference} the concatenation reference of its parts. */
    record NewSms(String id, String accountId, String clientMessageId, SmsRecord.Purpose purpose, String recipient,
                  String body, SmsAlphabet alphabet, int parts, int reference, long createdAt, long expiresAt) {}

    /** A claimed SMS with the parts (1-based) that still wait for the gateway's acceptance. */
    record Claimed(String id, String recipient, String body, int reference, List<Integer> openParts) {}

    /**
     * Queues {@code sms}, or returns the SMS already queued under the same account and client message
     * id (the sender retried): that one's record, unchanged.
     */
    SmsRecord enqueue(NewSms sms);

    /** SMS of purpose message the account queued at or after {@code since} (epoch millis). */
    int countSince(String accountId, long since);

    /** Claims up to {@code limit} queued SMS whose lease has run out, leasing them to {@code owner} until {@code leaseUntil}. */
    List<Claimed> claim(String owner, long now, long leaseUntil, int limit);

    /**
     * At start-up: frees every lease when this node is the only one that can hold any (SQLite, one
     * process per file), so a restart resumes at once instead of waiting for its earlier run's leases.
     * Does nothing where several nodes share the outbox; their leases run out by themselves.
     */
    void releaseStaleLeases();

    /** Gives the lease back so the SMS is claimed again at once (the gateway went away). */
    void release(String id, String owner);

    /**
     * Records part {@code seq}'s acceptance with the gateway's id for it. When that was the last open
     * part the text is deleted and the SMS is accepted. Returns the SMS's state after.
     */
    SmsState accepted(String id, int seq, String smscId, long now);

    /** The gateway refused the SMS for good (or it waited past its expiry): failed, text deleted. */
    void failed(String id, String reason, long now);

    /** Applies a delivery receipt to the part the gateway knows as {@code smscId}; false when no part has that id. */
    boolean receipt(String smscId, PartState state, long now);

    Optional<SmsRecord> find(String id);

    /**
     * Fails queued SMS past their expiry (deleting their text) and deletes every SMS created before
     * {@code createdBefore}; returns how many records went.
     */
    long purge(long now, long createdBefore);
}
