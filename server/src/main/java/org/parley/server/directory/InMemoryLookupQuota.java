// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link LookupQuota} for a single node. Per account it keeps the day and a set of 8-byte keyed
 * hashes (HMAC-SHA256 under a random per-process key) of the handles looked up that day, so the
 * quota never holds handles in clear and a heap dump does not reveal them. Memory is bounded by
 * the daily budget per active account; accounts whose day has passed are dropped at the first
 * request of a new day.
 */
final class InMemoryLookupQuota implements LookupQuota {
    private static final String HMAC = "HmacSHA256";

    private final int maxPerDay;
    private final SecretKeySpec key;
    private final ConcurrentHashMap<String, Day> days = new ConcurrentHashMap<>();
    private final AtomicLong sweptDay = new AtomicLong(Long.MIN_VALUE);

    InMemoryLookupQuota(int maxPerDay, SecureRandom random) {
        if (maxPerDay < 1) {
            throw new IllegalArgumentException("maxPerDay must be positive");
        }
        this.maxPerDay = maxPerDay;
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, HMAC);
    }

    /** One account's counted handles for one UTC day; guarded by the map's per-key compute. */
    private record Day(long epochDay, Set<Long> hashes) {}

    @Override
    public boolean tryAcquire(String accountId, Collection<String> handles, Instant now) {
        long today = LocalDate.ofInstant(now, ZoneOffset.UTC).toEpochDay();
        sweep(today);
        Set<Long> asked = hashes(handles);
        boolean[] admitted = new boolean[1];
        days.compute(accountId, (id, day) -> {
            Day current = day == null || day.epochDay() != today ? new Day(today, new HashSet<>()) : day;
            int fresh = 0;
            for (Long h : asked) {
                if (!current.hashes().contains(h)) {
                    fresh++;
                }
            }
            if (current.hashes().size() + fresh <= maxPerDay) {
                current.hashes().addAll(asked);
                admitted[0] = true;
            }
            return current;
        });
        return admitted[0];
    }

    /** Once per new day, drops every account whose counters belong to an earlier day. */
    private void sweep(long today) {
        long last = sweptDay.get();
        if (last < today && sweptDay.compareAndSet(last, today)) {
            days.values().removeIf(d -> d.epochDay() < today);
        }
    }

    private Set<Long> hashes(Collection<String> handles) {
        Mac mac;
        try {
            mac = Mac.getInstance(HMAC);
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
        Set<Long> out = new HashSet<>();
        for (String handle : handles) {
            out.add(ByteBuffer.wrap(mac.doFinal(handle.getBytes(StandardCharsets.UTF_8))).getLong());
        }
        return out;
    }

    /** Accounts with counters held, for tests of the memory bound. */
    int trackedAccounts() {
        return days.size();
    }
}
