// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.server.http.AuthenticatedDevice;

/**
 * A small bounded cache of verified credentials, so that authenticating a busy device does not read
 * SQLite on every request. Keyed by SHA-256 of the whole Authorization header value (never the
 * value itself); entries expire after a fixed time and are dropped when their account re-registers.
 *
 * <p>A lookup that started before an invalidation must not cache what it read: callers take a
 * {@link #generation()} before reading the store and {@link #put} ignores entries from an older
 * generation. All methods are synchronised; they are short.
 */
final class CredentialCache {
    private final int capacity;
    private final long ttlMillis;
    private final Map<String, Entry> entries;
    private long generation;

    /** A verified device and the last day it was recorded as seen. */
    record Entry(AuthenticatedDevice device, long expiresAt, AtomicLong lastSeenDay) {}

    CredentialCache(int capacity, long ttlMillis) {
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CredentialCache.Entry> eldest) {
                return size() > CredentialCache.this.capacity;
            }
        };
    }

    synchronized long generation() {
        return generation;
    }

    /** The entry for {@code headerHash}, if present and not expired at {@code now}. */
    synchronized Entry get(byte[] headerHash, long now) {
        String key = HexFormat.of().formatHex(headerHash);
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAt() <= now) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    /** Caches a verification made with data read at {@code readGeneration}, unless invalidated since. */
    synchronized Entry put(byte[] headerHash, AuthenticatedDevice device, long lastSeenDay, long readGeneration, long now) {
        Entry entry = new Entry(device, now + ttlMillis, new AtomicLong(lastSeenDay));
        if (readGeneration == generation) {
            entries.put(HexFormat.of().formatHex(headerHash), entry);
        }
        return entry;
    }

    /** Drops every entry of {@code accountId} and fences off lookups already in flight. */
    synchronized void invalidate(String accountId) {
        generation++;
        entries.values().removeIf(e -> e.device().accountId().equals(accountId));
    }

    synchronized int size() {
        return entries.size();
    }
}
