// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.util.Optional;
import java.util.OptionalLong;
import org.parley.protocol.SignedPreKey;

/**
 * Storage of accounts, handles, devices and verification sessions. Each method is one transaction;
 * the decisions (is the code right, has the session expired) come from the caller, so that another
 * backend implements only persistence.
 */
interface AccountStore extends Accounts, SubscriberRecords {

    /**
     * Inserts {@code session} unless its handle already started {@code maxPerWindow} sessions in the
     * {@code windowMillis} before {@code session.createdAt()}; check and insert are atomic.
     *
     * @return empty when inserted, otherwise the epoch millis from which a new session is allowed
     */
    OptionalLong startSession(VerificationSession session, int maxPerWindow, long windowMillis);

    /** When {@code handle} may start its next session (now, if it may already), as epoch millis. */
    long nextSessionAllowedAt(String handle, int maxPerWindow, long windowMillis, long now);

    /**
     * Judges the session {@code sessionId} with {@code judge} and acts on the verdict, in one transaction:
     * {@link Verdict#WRONG_CODE} counts an attempt; {@link Verdict#OK} creates the account for the
     * session's handle with {@code newAccountId} (or keeps the existing account, deleting its devices,
     * their keys and queued messages), adds {@code device} as device 1 with its initial keys and
     * consumes the session. Other verdicts change nothing.
     */
    Outcome register(String sessionId, Judge judge, String newAccountId, NewDevice device, long now);

    // ---- linked devices (docs/protocol.md, "Provisioning")

    /**
     * Stores a provisioning code (its hash) issued to {@code issuedBy} unless the account already has
     * {@code maxOutstanding} unexpired ones; returns whether it was stored.
     */
    boolean issueProvisioningCode(String accountId, int issuedBy, byte[] codeHash, long now, long expiresAt,
                                  int maxOutstanding);

    /**
     * In one transaction: finds the code by its hash, checks it has not expired, that the account has
     * fewer than {@code maxDevices} devices and that {@code device} carries the account's identity key,
     * then adds the device under the lowest free id in {@code 1..maxDevices} with its initial keys and
     * deletes the code (one use). An expired code is deleted too; other refusals keep it.
     */
    LinkOutcome linkDevice(byte[] codeHash, NewDevice device, int maxDevices, long now);

    /**
     * Deletes one device with its keys and queued messages (other features' rows, through
     * {@link DeviceKeys} and {@link DeviceQueues}, in the same transaction).
     *
     * @return whether the device existed
     */
    boolean removeDevice(String accountId, int deviceId);

    /** Deletes provisioning codes whose expiry is at or before {@code now}; returns how many. */
    long purgeProvisioningCodes(long now);

    /** What {@link #linkDevice} decided. */
    enum LinkVerdict { OK, UNKNOWN_CODE, EXPIRED, TOO_MANY_DEVICES, IDENTITY_MISMATCH }

    /** The verdict and, for {@link LinkVerdict#OK}, the account and the new device's id. */
    record LinkOutcome(LinkVerdict verdict, String accountId, int deviceId) {}

    /** The stored credentials of a device, for authentication. */
    Optional<Credentials> credentials(String accountId, int deviceId);

    /** Records that the device was seen on epoch day {@code day}; never moves the day backwards. */
    void markSeen(String accountId, int deviceId, long day);

    /**
     * Deletes sessions that have expired and are older than {@code windowMillis} (the rate-limit
     * window still counts younger ones).
     *
     * @return how many were deleted
     */
    long purgeSessions(long now, long windowMillis);

    /**
     * Deletes the account: its queued messages and keys (through their owners, joining this
     * transaction), devices, handle and the account row. What {@code held} names is first copied to
     * the retained records: the account id and handle when {@code held.any()}, with the account's and
     * its devices' dates when {@code held.subscriber()}.
     *
     * @return the deleted account's handle, or empty when there was no such account
     */
    Optional<String> delete(String accountId, SubscriberHolds.Held held, long now);

    /** The retained records (account id, handle) of deleted accounts, for the purge to ask the holds about. */
    java.util.List<Retained> retained();

    /** Drops the dates of a retained account (no hold covers subscriber records any more). */
    void forgetRetainedDates(String accountId);

    /** Deletes a retained account altogether (no active hold names it any more). */
    void forgetRetained(String accountId);

    /** A deleted account whose records a hold kept. */
    record Retained(String accountId, String handle, boolean withDates) {}

    /** A verification session; the code is stored only as {@code SHA-256(codeSalt || code)}. */
    record VerificationSession(String sessionId, String handle, byte[] codeSalt, byte[] codeHash, long createdAt,
                               long expiresAt, int attempts, boolean consumed) {}

    /** A device to create at registration; the password is already hashed. */
    record NewDevice(int registrationId, byte[] passwordSalt, byte[] passwordHash, byte[] identityKey,
                     SignedPreKey signedPreKey, SignedPreKey pqLastResortPreKey) {}

    /** What authentication needs from a device row. */
    record Credentials(String accountId, int deviceId, byte[] passwordSalt, byte[] passwordHash, long lastSeenDay) {}

    /** What the caller decided about a session. */
    enum Verdict { OK, NOT_FOUND, CONSUMED, DEAD, EXPIRED, WRONG_CODE }

    /** Decides about a session, which exists. */
    @FunctionalInterface
    interface Judge {
        Verdict judge(VerificationSession session);
    }

    /**
     * The result of {@link #register}: the verdict, the session as it was before this call (null when
     * not found) and, for {@link Verdict#OK}, the account.
     */
    record Outcome(Verdict verdict, VerificationSession session, String accountId, boolean replacedDevices) {}
}
