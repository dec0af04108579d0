// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to accounts for the other features (directory, keys, messages). Handles passed in
 * are already normalised by {@link org.parley.protocol.Handles}.
 */
public interface Accounts {
    Optional<String> accountIdOf(String handle);

    /**
     * The account {@code handle} had before it was deleted, while a legal hold still names it (so the
     * held lookup-log entries can still be found by handle); empty for every other handle. Never used
     * to route messages: a deleted handle is not on Parley.
     */
    default Optional<String> heldAccountIdOf(String handle) {
        return Optional.empty();
    }

    /** The account's handle (one per account for now), if the account exists. */
    Optional<String> handleOf(String accountId);

    /** The account's devices ordered by device id; empty when the account is unknown. */
    List<DeviceRecord> devices(String accountId);

    /**
     * Every handle with its account, for features that precompute per-handle data (the private
     * lookup's bucket table). Reads the whole handle table: call it at start-up, not per request.
     * Test doubles without a handle table list none.
     */
    default List<HandleOwner> handleOwners() {
        return List.of();
    }

    /**
     * Every account's devices as registration ids (id order), in one read of the whole device table: for
     * features that keep per-account data in memory and must notice changes another node made (the
     * private lookup's bucket tables on PostgreSQL). Test doubles without a device table list none.
     */
    default Map<String, List<DeviceSlot>> deviceSlots() {
        return Map.of();
    }

    /** The account's handles, oldest first; empty when the account is unknown. */
    default List<String> handlesOf(String accountId) {
        return handleOf(accountId).map(List::of).orElse(List.of());
    }

    /** A handle and the account it belongs to. */
    record HandleOwner(String handle, String accountId) {}

    /** A device by id and registration id: what changes when it is linked, replaced or removed. */
    record DeviceSlot(int deviceId, int registrationId) {}

    /** A device as the other features need it. */
    record DeviceRecord(int deviceId, int registrationId, byte[] identityKey) {}
}
