// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryLookupQuotaTest {
    private static final Instant MORNING = Instant.parse("2026-11-27T10:00:00Z");

    private static List<String> handles(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "user" + i + "@example.org").toList();
    }

    @Test
    void tryAcquire_upToTheLimit_admitsAndTheNextDistinctHandleIsRefused() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(1000, new SecureRandom());
        for (int i = 0; i < 10; i++) {
            assertTrue(quota.tryAcquire("a", handles(i * 100, 100), MORNING));
        }
        assertFalse(quota.tryAcquire("a", handles(1000, 1), MORNING));
    }

    @Test
    void tryAcquire_repeatsOfCountedHandles_areFreeAtTheLimit() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(3, new SecureRandom());
        assertTrue(quota.tryAcquire("a", handles(0, 3), MORNING));
        assertTrue(quota.tryAcquire("a", handles(0, 3), MORNING.plusSeconds(60)));
        assertTrue(quota.tryAcquire("a", handles(1, 1), MORNING.plusSeconds(120)));
    }

    @Test
    void tryAcquire_batchThatWouldGoOver_isRefusedWholeAndCountsNothing() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(3, new SecureRandom());
        assertTrue(quota.tryAcquire("a", handles(0, 2), MORNING));
        assertFalse(quota.tryAcquire("a", handles(2, 2), MORNING));
        // Nothing of the refused batch was counted: one more distinct handle still fits.
        assertTrue(quota.tryAcquire("a", handles(2, 1), MORNING));
    }

    @Test
    void tryAcquire_duplicatesInOneBatch_countOnce() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(1, new SecureRandom());
        assertTrue(quota.tryAcquire("a", List.of("x@example.org", "x@example.org"), MORNING));
    }

    @Test
    void tryAcquire_accountsAreCountedSeparately() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(1, new SecureRandom());
        assertTrue(quota.tryAcquire("a", handles(0, 1), MORNING));
        assertTrue(quota.tryAcquire("b", handles(1, 1), MORNING));
        assertFalse(quota.tryAcquire("a", handles(1, 1), MORNING));
    }

    @Test
    void tryAcquire_newUtcDay_resetsTheBudget() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(1, new SecureRandom());
        Instant lastSecond = Instant.parse("2026-11-27T23:59:59Z");
        assertTrue(quota.tryAcquire("a", handles(0, 1), lastSecond));
        assertFalse(quota.tryAcquire("a", handles(1, 1), lastSecond));
        assertTrue(quota.tryAcquire("a", handles(1, 1), lastSecond.plusSeconds(1)));
    }

    @Test
    void tryAcquire_onANewDay_forgetsAccountsOfPastDays() {
        InMemoryLookupQuota quota = new InMemoryLookupQuota(10, new SecureRandom());
        quota.tryAcquire("a", handles(0, 1), MORNING);
        quota.tryAcquire("b", handles(0, 1), MORNING);
        assertEquals(2, quota.trackedAccounts());
        quota.tryAcquire("c", handles(0, 1), MORNING.plus(Duration.ofDays(1)));
        assertEquals(1, quota.trackedAccounts());
    }

    @Test
    void secondsToNextUtcMidnight_roundsUpToWholeSeconds() {
        assertEquals(14 * 3600, Directory.secondsToNextUtcMidnight(MORNING));
        assertEquals(1, Directory.secondsToNextUtcMidnight(Instant.parse("2026-11-27T23:59:59.500Z")));
        assertEquals(86_400, Directory.secondsToNextUtcMidnight(Instant.parse("2026-11-27T00:00:00Z")));
    }
}
