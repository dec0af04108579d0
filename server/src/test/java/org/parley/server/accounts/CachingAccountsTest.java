// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.server.accounts.Accounts.DeviceRecord;

/**
 * The device and handle cache in front of the account store. The store here is a map that counts
 * its reads (the cache's contract is only about when it reads); the invalidation by the real
 * feature is covered end to end by {@code DeviceRemovalTest} (a send warms the cache, the device is
 * removed through the API, and the next send naming it gets 409).
 */
class CachingAccountsTest {
    private static final List<DeviceRecord> ONE = List.of(new DeviceRecord(1, 7, new byte[] {5}));
    private static final List<DeviceRecord> TWO = List.of(new DeviceRecord(1, 7, new byte[] {5}),
            new DeviceRecord(2, 8, new byte[] {5}));

    private final CountingStore store = new CountingStore();
    private final CachingAccounts cache = new CachingAccounts(store, 3);

    @Test
    void devices_readTwice_readsTheStoreOnce() {
        store.devices.put("a", ONE);
        assertEquals(ONE, cache.devices("a"));
        assertEquals(ONE, cache.devices("a"));
        assertEquals(1, store.deviceReads);
    }

    @Test
    void devices_afterInvalidate_readAgain() {
        store.devices.put("a", ONE);
        cache.devices("a");
        store.devices.put("a", TWO);
        cache.invalidate("a");
        assertEquals(TWO, cache.devices("a"));
        assertEquals(2, store.deviceReads);
    }

    @Test
    void devices_invalidatedWhileReading_notCached() {
        store.devices.put("a", ONE);
        // The change commits and is announced while the read of the old list is still in flight.
        store.duringRead = () -> {
            store.devices.put("a", TWO);
            cache.invalidate("a");
        };
        assertEquals(ONE, cache.devices("a"));
        store.duringRead = () -> { };
        assertEquals(TWO, cache.devices("a"));
    }

    @Test
    void devices_unknownAccount_notCached() {
        assertEquals(List.of(), cache.devices("nobody"));
        assertEquals(List.of(), cache.devices("nobody"));
        assertEquals(2, store.deviceReads);
    }

    @Test
    void devices_overCapacity_clearsAndStillAnswers() {
        for (String id : List.of("a", "b", "c", "d")) {
            store.devices.put(id, ONE);
            cache.devices(id);
        }
        assertEquals(ONE, cache.devices("d"));
        assertEquals(4, store.deviceReads);
        assertEquals(ONE, cache.devices("a"));
        assertEquals(5, store.deviceReads);
    }

    @Test
    void handleOf_cachedUntilInvalidated() {
        store.handles.put("a", "alice@example.org");
        assertEquals(Optional.of("alice@example.org"), cache.handleOf("a"));
        assertEquals(Optional.of("alice@example.org"), cache.handleOf("a"));
        assertEquals(1, store.handleReads);
        store.handles.remove("a");
        cache.invalidate("a");
        assertEquals(Optional.empty(), cache.handleOf("a"));
    }

    /** An in-memory account store that counts reads and can run something in the middle of one. */
    private static final class CountingStore implements Accounts {
        final Map<String, List<DeviceRecord>> devices = new HashMap<>();
        final Map<String, String> handles = new HashMap<>();
        Runnable duringRead = () -> { };
        int deviceReads;
        int handleReads;

        @Override
        public Optional<String> accountIdOf(String handle) {
            return Optional.empty();
        }

        @Override
        public Optional<String> handleOf(String accountId) {
            handleReads++;
            return Optional.ofNullable(handles.get(accountId));
        }

        @Override
        public List<DeviceRecord> devices(String accountId) {
            deviceReads++;
            List<DeviceRecord> read = devices.getOrDefault(accountId, List.of());
            duringRead.run();
            return read;
        }
    }
}
