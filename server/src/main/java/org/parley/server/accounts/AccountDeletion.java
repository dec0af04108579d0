// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.parley.server.errors.Unauthenticated;

/**
 * Deleting an account ({@code DELETE /v1/accounts/me}) and letting go of what a hold kept.
 *
 * <p>The devices, keys, queues, handle and account row go in one transaction; the other features'
 * per-account data (the lookups the account made, its SMS opt-in) go right after the commit through
 * the deletion listeners. An active preservation hold naming the account changes only what is
 * copied to the retained records first (see {@link SubscriberHolds}); the user is not told, as a
 * hold is confidential. The retention purge ({@link #purgeRetained}) lets each retained record go
 * once no active hold needs it.
 */
final class AccountDeletion {
    private final AccountStore store;
    private final Supplier<SubscriberHolds> holds;
    private final Clock clock;
    private final Consumer<String> devicesGone;
    private final List<Consumer<String>> accountDeleted;
    private final Counter deletions;

    AccountDeletion(AccountStore store, Supplier<SubscriberHolds> holds, Clock clock, MeterRegistry meters,
                    Consumer<String> devicesGone, List<Consumer<String>> accountDeleted) {
        this.store = store;
        this.holds = holds;
        this.clock = clock;
        this.devicesGone = devicesGone;
        this.accountDeleted = accountDeleted;
        this.deletions = Counter.builder("parley.accounts.deletions").description("Accounts deleted by their owner")
                .register(meters);
    }

    /** Deletes {@code accountId}, keeping what active holds preserve. */
    void delete(String accountId) {
        long now = clock.millis();
        String handle = store.handleOf(accountId).orElse(null);
        // Asked before the write: a hold placed between this read and the commit finds the account
        // already gone (its subscriber record is then not kept); the lookup log purge still honours it.
        SubscriberHolds.Held held = handle == null ? SubscriberHolds.Held.NONE : holds.get().held(accountId, handle, now);
        if (store.delete(accountId, held, now).isEmpty()) {
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, "this account no longer exists");
        }
        deletions.increment();
        // Credentials and open connections first, then the other features' per-account data.
        devicesGone.accept(accountId);
        accountDeleted.forEach(l -> l.accept(accountId));
    }

    /** Drops retained records no active hold needs any more; returns how many records changed. */
    long purgeRetained(long now) {
        long changed = 0;
        for (AccountStore.Retained r : store.retained()) {
            SubscriberHolds.Held held = holds.get().held(r.accountId(), r.handle(), now);
            if (!held.any()) {
                store.forgetRetained(r.accountId());
                changed++;
            } else if (r.withDates() && !held.subscriber()) {
                store.forgetRetainedDates(r.accountId());
                changed++;
            }
        }
        return changed;
    }
}
