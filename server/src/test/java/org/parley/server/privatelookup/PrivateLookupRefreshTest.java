// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.accounts.Accounts;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.LookupMode;
import org.parley.server.directory.LookupQuota;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;
import org.parley.testing.TestClock;

/**
 * Changes this node was never told of (registrations, device links and deletions made through another
 * node sharing the database) reach the bucket tables at the next {@link PrivateLookup#refresh}, and only
 * the accounts that differ are recomputed.
 */
class PrivateLookupRefreshTest {
    @TempDir
    Path dir;

    private Database db;
    /** What the shared database holds: handle per account, and devices per account. */
    private final Map<String, String> handles = new ConcurrentHashMap<>();
    private final Map<String, List<Accounts.DeviceSlot>> devices = new ConcurrentHashMap<>();

    private final Accounts accounts = new Accounts() {
        @Override
        public Optional<String> accountIdOf(String handle) {
            return handles.entrySet().stream().filter(e -> e.getValue().equals(handle)).map(Map.Entry::getKey).findFirst();
        }

        @Override
        public Optional<String> handleOf(String accountId) {
            return Optional.ofNullable(handles.get(accountId));
        }

        @Override
        public List<DeviceRecord> devices(String accountId) {
            return devices.getOrDefault(accountId, List.of()).stream()
                    .map(d -> new DeviceRecord(d.deviceId(), d.registrationId(), new byte[33])).toList();
        }

        @Override
        public List<HandleOwner> handleOwners() {
            List<HandleOwner> out = new ArrayList<>();
            handles.forEach((account, handle) -> out.add(new HandleOwner(handle, account)));
            return out;
        }

        @Override
        public Map<String, List<DeviceSlot>> deviceSlots() {
            return Map.copyOf(devices);
        }
    };

    @BeforeEach
    void open() {
        db = StorageBackend.SQLITE.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void register(String accountId, String handle, int registrationId) {
        handles.put(accountId, handle);
        devices.put(accountId, List.of(new Accounts.DeviceSlot(1, registrationId)));
    }

    @Test
    void refresh_picksUpWhatOtherNodesChanged_andRecomputesOnlyThose() {
        for (int i = 0; i < 5; i++) {
            register("acct-" + i, "+1202555" + (1000 + i), 100 + i);
        }
        PrivateLookup lookup = new PrivateLookup(accounts, new JdbcPrivateLookupStore(db),
                LookupQuota.inMemory(1000, new SecureRandom()), new TestClock(Instant.parse("2026-12-08T10:00:00Z")),
                new SecureRandom(), LookupMode.BOTH, LookupLogMode.FULL, 1, Duration.ofDays(30), Duration.ofDays(1),
                new SimpleMeterRegistry());
        lookup.start();
        assertEquals(5, lookup.tables().getFirst().size());
        assertEquals(0, lookup.refresh(), "nothing changed");

        // Another node: a registration, a device linked to acct-1, and acct-2 deleted.
        register("acct-new", "+12025559999", 7);
        devices.put("acct-1", List.of(new Accounts.DeviceSlot(1, 101), new Accounts.DeviceSlot(2, 555)));
        handles.remove("acct-2");
        devices.remove("acct-2");

        assertEquals(3, lookup.refresh());
        assertEquals(5, lookup.tables().getFirst().size(), "one handle added, one removed");
        assertEquals(0, lookup.refresh(), "the tables now match the database");

        // A re-registration of the same device id (new registration id) counts as a change too.
        devices.put("acct-3", List.of(new Accounts.DeviceSlot(1, 9999)));
        assertEquals(1, lookup.refresh());
    }
}
