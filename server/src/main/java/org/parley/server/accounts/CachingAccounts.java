// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Accounts} with each account's device list and handle remembered, so that a send does not
 * read them from the database (they were the two largest reads of the message path: every send
 * checks the destination's and the sender's devices, and delivery names the sender by handle).
 *
 * <p><b>Only for one node.</b> An entry is dropped by {@link #invalidate} when this node's accounts
 * feature changes the account (registration, re-registration, a device linked or removed, deletion:
 * the feature's "registered" listeners). Another node's change would not reach it, so
 * {@link AccountsFeature} uses this only when no other node can write the same tables (SQLite, which
 * one server locks by its data directory, and no Redis).
 *
 * <p>A read that started before an invalidation must not cache what it read: it takes the
 * {@link #generation} first and {@link #put} ignores results from an older generation (as
 * {@link CredentialCache} does). Unknown accounts (empty results) are not cached, so guessed ids
 * cannot fill the cache; at most {@code capacity} accounts are held and the whole cache is
 * cleared when it is full (a cold read is only a database read).
 */
final class CachingAccounts implements Accounts {
    private final Accounts store;
    private final int capacity;
    private final Map<String, List<DeviceRecord>> devices = new ConcurrentHashMap<>();
    private final Map<String, String> handles = new ConcurrentHashMap<>();
    private long generation;

    CachingAccounts(Accounts store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    @Override
    public Optional<String> accountIdOf(String handle) {
        return store.accountIdOf(handle);
    }

    @Override
    public Optional<String> heldAccountIdOf(String handle) {
        return store.heldAccountIdOf(handle);
    }

    @Override
    public Optional<String> handleOf(String accountId) {
        String cached = handles.get(accountId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long readAt = generation();
        Optional<String> handle = store.handleOf(accountId);
        handle.ifPresent(h -> put(handles, accountId, h, readAt));
        return handle;
    }

    @Override
    public List<DeviceRecord> devices(String accountId) {
        List<DeviceRecord> cached = devices.get(accountId);
        if (cached != null) {
            return cached;
        }
        long readAt = generation();
        List<DeviceRecord> read = store.devices(accountId);
        if (!read.isEmpty()) {
            put(devices, accountId, read, readAt);
        }
        return read;
    }

    @Override
    public List<HandleOwner> handleOwners() {
        return store.handleOwners();
    }

    @Override
    public List<String> handlesOf(String accountId) {
        return store.handlesOf(accountId);
    }

    @Override
    public Map<String, List<DeviceSlot>> deviceSlots() {
        return store.deviceSlots();
    }

    /** Forgets {@code accountId} and fences off reads already in flight; call after the change committed. */
    synchronized void invalidate(String accountId) {
        generation++;
        devices.remove(accountId);
        handles.remove(accountId);
    }

    private synchronized long generation() {
        return generation;
    }

    private synchronized <V> void put(Map<String, V> map, String accountId, V value, long readAt) {
        if (readAt != generation) {
            return;
        }
        if (map.size() >= capacity) {
            map.clear();
        }
        map.put(accountId, value);
    }
}
