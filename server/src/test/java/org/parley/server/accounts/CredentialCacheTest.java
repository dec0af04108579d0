// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.parley.server.http.AuthenticatedDevice;

class CredentialCacheTest {
    private static final byte[] KEY = SaltedHash.sha256("Basic a");
    private static final AuthenticatedDevice DEVICE = new AuthenticatedDevice("a", 1);

    @Test
    void get_afterTtl_missing() {
        CredentialCache cache = new CredentialCache(10, 1000);
        cache.put(KEY, DEVICE, 0, cache.generation(), 0);
        assertNotNull(cache.get(KEY, 999));
        assertNull(cache.get(KEY, 1000));
    }

    @Test
    void put_readBeforeAnInvalidation_notCached() {
        CredentialCache cache = new CredentialCache(10, 1000);
        long generation = cache.generation();
        cache.invalidate("a");
        cache.put(KEY, DEVICE, 0, generation, 0);
        assertNull(cache.get(KEY, 0));
    }

    @Test
    void invalidate_dropsOnlyThatAccount() {
        CredentialCache cache = new CredentialCache(10, 1000);
        byte[] other = SaltedHash.sha256("Basic b");
        cache.put(KEY, DEVICE, 0, cache.generation(), 0);
        cache.put(other, new AuthenticatedDevice("b", 1), 0, cache.generation(), 0);
        cache.invalidate("a");
        assertNull(cache.get(KEY, 0));
        assertNotNull(cache.get(other, 0));
    }

    @Test
    void put_overCapacity_evictsLeastRecentlyUsed() {
        CredentialCache cache = new CredentialCache(2, 1000);
        for (int i = 0; i < 5; i++) {
            cache.put(SaltedHash.sha256("k" + i), DEVICE, 0, cache.generation(), 0);
        }
        assertEquals(2, cache.size());
        assertNotNull(cache.get(SaltedHash.sha256("k4"), 0));
    }
}
