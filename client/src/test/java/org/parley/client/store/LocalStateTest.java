// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.parley.client.error.ParleyStateException;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.TestClock;

class LocalStateTest {
    @TempDir
    Path tmp;

    @Test
    void open_newHome_createsPrivateDirectoryAndFile() throws Exception {
        Path home = tmp.resolve("nested/home");
        try (LocalState local = LocalState.open(home)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(local.home())));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve(StateDatabase.FILE_NAME))));
        }
    }

    @Test
    void open_existingOpenHome_tightensPermissions() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path db = Files.createFile(home.resolve(StateDatabase.FILE_NAME));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        try (LocalState local = LocalState.open(home)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(local.home())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        }
    }

    @Test
    void account_savedAndReopened_isIdentical() {
        AccountState state = new AccountState(URI.create("http://localhost:8080"), "+12025550143",
                "acc-1", 1, "secret-password-0123456789", null);
        try (LocalState local = LocalState.open(tmp)) {
            assertTrue(local.accounts().load().isEmpty());
            local.accounts().save(state);
        }
        try (LocalState local = LocalState.open(tmp)) {
            assertEquals(state, local.accounts().load().orElseThrow());
            assertTrue(local.accounts().load().orElseThrow().registered());
        }
    }

    @Test
    void account_toString_hidesPassword() {
        AccountState state = new AccountState(URI.create("http://x"), "a@b.org", "acc", 1, "hunter2-hunter2-hunter2", null);
        assertFalse(state.toString().contains("hunter2"));
    }

    @Test
    void pendingAccount_withoutCredentials_isNotRegistered() {
        try (LocalState local = LocalState.open(tmp)) {
            local.accounts().save(new AccountState(URI.create("http://x"), "a@b.org", null, null, null, "session-1"));
            AccountState loaded = local.accounts().load().orElseThrow();
            assertFalse(loaded.registered());
            assertEquals("session-1", loaded.pendingSessionId());
        }
    }

    @Test
    void transaction_failing_rollsBackNestedWrites() {
        try (LocalState local = LocalState.open(tmp)) {
            assertThrows(IllegalStateException.class, () -> local.database().update(c -> {
                local.seenEnvelopes().markSeen("guid-1");
                local.contacts().remember("+12025550143", "acc-1");
                throw new IllegalStateException("boom");
            }));
            assertFalse(local.seenEnvelopes().contains("guid-1"));
            assertTrue(local.contacts().accountIdOf("+12025550143").isEmpty());
        }
    }

    @Test
    void transaction_committed_keepsNestedWrites() {
        try (LocalState local = LocalState.open(tmp)) {
            local.database().update(c -> {
                local.seenEnvelopes().markSeen("guid-1");
                try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                    ps.executeQuery().close();
                }
            });
            assertTrue(local.seenEnvelopes().contains("guid-1"));
        }
    }

    @Test
    void prepare_sameSql_reusesOneStatementWithClearedParameters() throws Exception {
        try (LocalState local = LocalState.open(tmp)) {
            StateDatabase db = local.database();
            String sql = "SELECT ? IS NULL";
            PreparedStatement first = db.sql(c -> {
                try (PreparedStatement ps = db.prepare(sql)) {
                    ps.setInt(1, 7);
                    try (var rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertFalse(rs.getBoolean(1));
                    }
                    return ps;
                }
            });
            assertFalse(first.isClosed());
            db.update(c -> {
                PreparedStatement ps = db.prepare(sql);
                assertSame(first, ps);
                try (var rs = ps.executeQuery()) { // the 7 bound above is gone
                    assertTrue(rs.next());
                    assertTrue(rs.getBoolean(1));
                }
            });
            local.close();
            assertTrue(first.isClosed());
        }
    }

    @Test
    void prepare_outsideTransaction_isRefused() {
        try (LocalState local = LocalState.open(tmp)) {
            assertThrows(IllegalStateException.class, () -> local.database().prepare("SELECT 1"));
        }
    }

    @Test
    void cachedStatement_afterFailedTransaction_stillWorks() {
        try (LocalState local = LocalState.open(tmp)) {
            local.seenEnvelopes().markSeen("guid-1");
            assertThrows(ParleyStateException.class, () -> local.database().update(c -> {
                local.seenEnvelopes().markSeen("guid-2");
                try (PreparedStatement ps = local.database().prepare("INSERT INTO seen_envelopes (guid, seen_at) VALUES (?, ?)")) {
                    ps.setString(1, "guid-1");
                    ps.setLong(2, 0);
                    ps.executeUpdate(); // duplicate key
                }
            }));
            assertFalse(local.seenEnvelopes().contains("guid-2"));
            local.seenEnvelopes().markSeen("guid-3");
            assertTrue(local.seenEnvelopes().contains("guid-1"));
            assertTrue(local.seenEnvelopes().contains("guid-3"));
        }
    }

    @Test
    void seenEnvelopes_olderThanRetention_arePruned() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (LocalState local = LocalState.open(tmp, clock)) {
            local.seenEnvelopes().markSeen("old");
            clock.advance(SeenEnvelopes.RETENTION.plus(Duration.ofMinutes(1)));
            local.seenEnvelopes().markSeen("new");

            assertEquals(1, local.seenEnvelopes().prune());
            assertFalse(local.seenEnvelopes().contains("old"));
            assertTrue(local.seenEnvelopes().contains("new"));
        }
    }

    @Test
    void contacts_rememberedTwice_keepLatestAccount() {
        try (LocalState local = LocalState.open(tmp)) {
            local.contacts().remember("bob@example.org", "acc-1");
            local.contacts().remember("bob@example.org", "acc-2");
            assertEquals("acc-2", local.contacts().accountIdOf("bob@example.org").orElseThrow());
            assertEquals("bob@example.org", local.contacts().handleOf("acc-2").orElseThrow());
            local.contacts().forget("bob@example.org");
            assertTrue(local.contacts().handleOf("acc-2").isEmpty());
        }
    }

}
