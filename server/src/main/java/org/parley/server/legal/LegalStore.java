// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.List;
import java.util.Optional;

/** The register's persistence. Each method is one transaction; decisions are made by the caller. */
interface LegalStore {
    /** Stores a new request with its handles and documents; returns its id. */
    long insert(IntakeForm form, RequestStatus status, String reason, boolean reviewRequired, String registeredBy,
                long now);

    Optional<LegalRequest> find(long id);

    /**
     * Inside the caller's write transaction: request {@code id} as committed now, its row locked
     * until that transaction ends, so a decision made on what it says cannot race another node's
     * decision about the same request (or the same request's holds). Empty when there is none.
     */
    Optional<LegalRequest> lock(long id);

    /** Every request, newest first. */
    List<LegalRequest> all();

    /**
     * Moves request {@code id} from {@code from} to {@code to}, recording who decided, when and why;
     * false (nothing changed) when the request was not in {@code from}.
     */
    boolean decide(long id, RequestStatus from, RequestStatus to, String by, long at, String reason);

    /** Clears the review-required flag with the reviewer's note; false when it was not set. */
    boolean reviewed(long id, String by, long at, String note);

    /**
     * Marks an approved request produced and records the accounts whose data it covered; false
     * when it was no longer approved.
     */
    boolean produced(long id, Outcome outcome, String by, long at, String packageSha256, List<String> accountIds);

    /** The accounts a production covered, for user notices. */
    List<Long> disclosuresAbout(String accountId);

    void placeHolds(List<Hold> holds);

    List<Hold> holds(long requestId);

    /**
     * The request's holds as the caller's write transaction sees them (its own connection), for a
     * decision made under {@link #lock}.
     */
    List<Hold> holdsInWrite(long requestId);

    /**
     * What the holds active at {@code now} say about an account or its handle, for account deletion:
     * whether any names it, and whether any covers subscriber records.
     */
    org.parley.server.accounts.SubscriberHolds.Held activeHoldsOn(String accountId, String handle, long now);

    /** Adds {@code extensionMs} to the request's unreleased holds not yet extended; returns how many changed. */
    int extendHolds(long requestId, long extensionMs, long now);

    /** Releases the request's unreleased holds; returns how many changed. */
    int releaseHolds(long requestId, long now);
}
