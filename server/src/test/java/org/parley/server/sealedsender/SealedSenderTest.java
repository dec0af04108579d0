// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.server.sealedsender.AccessKeyStore.AccessKey;

/** The access check and the minute windows, without a server. */
class SealedSenderTest {
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void authorised_onlyWithTheStoredKey_unlessUnrestricted() {
        byte[] wrong = KEY.clone();
        wrong[15] ^= 1;
        Optional<AccessKey> restricted = Optional.of(new AccessKey(KEY, false));

        assertTrue(SealedSender.authorised(restricted, Optional.of(KEY.clone())));
        assertFalse(SealedSender.authorised(restricted, Optional.of(wrong)));
        assertFalse(SealedSender.authorised(restricted, Optional.of(new byte[0])));
        assertFalse(SealedSender.authorised(restricted, Optional.empty()));
        assertFalse(SealedSender.authorised(Optional.empty(), Optional.of(KEY)), "no key uploaded: nothing sealed");
        assertTrue(SealedSender.authorised(Optional.of(new AccessKey(KEY, true)), Optional.empty()));
    }

    @Test
    void minuteWindows_admitMaxPerKeyAndMinute_thenSayHowLongToWait() {
        MinuteWindows windows = new MinuteWindows(2);
        Instant t = Instant.parse("2026-01-01T00:00:10Z");

        assertTrue(windows.tryAcquire("bob", t).isEmpty());
        assertTrue(windows.tryAcquire("bob", t).isEmpty());
        assertEquals(Optional.of(Duration.ofSeconds(50)), windows.tryAcquire("bob", t));
        assertTrue(windows.tryAcquire("carol", t).isEmpty(), "keys are counted apart");
        assertTrue(windows.tryAcquire("bob", t.plusSeconds(50)).isEmpty(), "a new minute opens the window");
        assertEquals(1, windows.trackedKeys(), "keys of past minutes are dropped");
    }

    @Test
    void minuteWindows_countSeveralEventsAtOnce_allOrNone() {
        MinuteWindows windows = new MinuteWindows(5);
        Instant t = Instant.parse("2026-01-01T00:00:10Z");

        assertTrue(windows.tryAcquire("10.0.0.1", t, 3).isEmpty());
        assertEquals(Optional.of(Duration.ofSeconds(50)), windows.tryAcquire("10.0.0.1", t, 3),
                "three more would make six: refused, and none of them counted");
        assertTrue(windows.tryAcquire("10.0.0.1", t, 2).isEmpty(), "exactly the rest of the budget fits");
        assertTrue(windows.tryAcquire("10.0.0.1", t).isPresent());
    }
}
