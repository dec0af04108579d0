// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

/**
 * What active legal preservation holds say about an account, which the legal feature knows. Account
 * deletion asks before it deletes, and the retention purge asks before it lets retained records go,
 * so that deletion keeps exactly what a hold preserves (docs/legal.md, "Account deletion").
 */
@FunctionalInterface
public interface SubscriberHolds {
    /**
     * The holds active at {@code nowMs} that name {@code accountId} or {@code handle}.
     *
     * @param handle the account's handle; may be null
     */
    Held held(String accountId, String handle, long nowMs);

    /**
     * @param any        some active hold names the account or its handle (its lookup-log entries stay,
     *                   and with them the handle's link to the account id)
     * @param subscriber some active hold covers subscriber records (the account's and devices' dates stay)
     */
    record Held(boolean any, boolean subscriber) {
        public static final Held NONE = new Held(false, false);
    }
}
