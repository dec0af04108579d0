// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order in which a receive tries a home's server URLs, and when it waits. */
class ServerFailoverTest {
    private static final URI A = URI.create("https://a.example.org");
    private static final URI B = URI.create("https://b.example.org");
    private static final URI C = URI.create("https://c.example.org");

    private static ServerFailover failover(URI... servers) {
        return new ServerFailover(List.of(servers), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(7)));
    }

    @Test
    void failed_threeServers_triesEachOnceAtOnceThenCyclesWithGrowingWaits() {
        ServerFailover failover = failover(A, B, C);
        assertEquals(A, failover.current());

        assertEquals(Duration.ZERO, failover.failed());
        assertEquals(B, failover.current());
        assertEquals(Duration.ZERO, failover.failed());
        assertEquals(C, failover.current());

        Duration first = failover.failed();
        assertEquals(A, failover.current());
        assertTrue(first.toMillis() >= 50 && first.toMillis() <= 100, first.toString());
        Duration second = failover.failed();
        assertEquals(B, failover.current());
        assertTrue(second.toMillis() >= 100 && second.toMillis() <= 200, second.toString());
        Duration third = failover.failed();
        assertEquals(C, failover.current());
        assertTrue(third.toMillis() >= 200 && third.toMillis() <= 400, third.toString());
    }

    @Test
    void succeeded_afterFailures_staysOnWorkingServerAndNextFailureMovesOnAtOnce() {
        ServerFailover failover = failover(A, B, C);
        failover.failed();
        failover.failed();
        failover.failed();
        failover.failed();
        assertEquals(B, failover.current());

        failover.succeeded();

        assertEquals(B, failover.current());
        assertEquals(Duration.ZERO, failover.failed());
        assertEquals(C, failover.current());
        assertEquals(Duration.ZERO, failover.failed());
        assertEquals(A, failover.current());
        assertTrue(failover.failed().toMillis() >= 50);
        assertEquals(B, failover.current());
    }

    @Test
    void failed_singleServer_waitsBeforeEveryRetry() {
        ServerFailover failover = failover(A);

        Duration first = failover.failed();
        Duration second = failover.failed();

        assertEquals(A, failover.current());
        assertTrue(first.toMillis() >= 50 && first.toMillis() <= 100, first.toString());
        assertTrue(second.toMillis() >= 100 && second.toMillis() <= 200, second.toString());
    }

    @Test
    void create_noServers_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> failover());
    }
}
