// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.error.ParleyStateException;

class MessageHistoryTest {
    private static final String CAROL = "cccccccc-0000-4000-8000-000000000003";
    private static final String DAN = "dddddddd-0000-4000-8000-000000000004";

    @TempDir
    Path home;

    private LocalState state;
    private MessageHistory history;

    @BeforeEach
    void open() {
        state = LocalState.open(home);
        history = state.history();
    }

    @AfterEach
    void close() {
        state.close();
    }

    private static List<String> bodies(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::body).toList();
    }

    @Test
    void unshown_receivedAndSyncCopies_untilMarkedShown() {
        long first = history.received("g1", "carol@example.org", CAROL, 1, "hi", 10, 11);
        history.sent("carol@example.org", CAROL, "hello", 12, 13);
        long copy = history.syncCopy("g2", "dan@example.org", 2, "from my laptop", 14, 15);

        assertEquals(List.of(first, copy), history.unshown().stream().map(HistoryEntry::id).toList());
        history.markShown(first);

        List<HistoryEntry> left = history.unshown();
        assertEquals(1, left.size());
        assertEquals(HistoryEntry.Direction.OUT, left.getFirst().direction());
        assertEquals("dan@example.org", left.getFirst().peerHandle());
    }

    @Test
    void markShown_unsyncedCommit_visibleToOtherConnectionsAndFullSyncRestored() {
        long id = history.received("g1", "carol@example.org", CAROL, 1, "hi", 10, 11);

        history.markShown(id);

        try (LocalState other = LocalState.open(home)) {
            assertEquals(List.of(), other.history().unshown());
        }
        int synchronous = state.database().sql(c -> {
            try (var rs = c.createStatement().executeQuery("PRAGMA synchronous")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(2, synchronous, "FULL again for the commits that carry session state");
    }

    @Test
    void conversation_byHandleOrAccount_bothDirectionsOldestFirst() {
        history.received("g1", "carol@example.org", CAROL, 1, "one", 1, 1);
        history.received("g2", "dan@example.org", DAN, 1, "not carol", 2, 2);
        history.sent("carol@example.org", CAROL, "two", 3, 3);
        history.received("g3", "+12025550143", CAROL, 1, "three, from carol's other handle", 4, 4);

        assertEquals(List.of("one", "two", "three, from carol's other handle"),
                bodies(history.conversation("carol@example.org", CAROL, 10)));
        assertEquals(List.of("one", "two"), bodies(history.conversation("carol@example.org", null, 10)));
        assertEquals(List.of("two", "three, from carol's other handle"),
                bodies(history.conversation("carol@example.org", CAROL, 2)));
        assertEquals(List.of(), history.conversation("nobody@example.org", null, 10));
    }

    @Test
    void latest_limit_lastEntriesOldestFirst() {
        for (int i = 0; i < 5; i++) {
            history.sent("carol@example.org", CAROL, "m" + i, i, i);
        }

        assertEquals(List.of("m3", "m4"), bodies(history.latest(2)));
    }

    @Test
    void undecryptable_keepsReasonAndDetail() {
        history.undecryptable("g9", "carol@example.org", CAROL, 3, "NO_SESSION", "no session with device 3", 99);

        HistoryEntry entry = history.unshown().getFirst();
        assertEquals(HistoryEntry.Kind.UNDECRYPTABLE, entry.kind());
        assertEquals("NO_SESSION", entry.reason());
        assertEquals("no session with device 3", entry.detail());
        assertEquals(3, entry.sourceDeviceId());
        assertFalse(entry.toString().contains("session with"), "toString shows no content");
    }

    @Test
    void received_sameGuidTwice_isRefused() {
        history.received("g1", "carol@example.org", CAROL, 1, "hi", 1, 1);

        assertThrows(ParleyStateException.class, () -> history.received("g1", "carol@example.org", CAROL, 1, "hi", 1, 1));
    }

    @Test
    void received_rolledBackWithItsTransaction() {
        assertThrows(IllegalStateException.class, () -> state.database().transaction(c -> {
            history.received("g1", "carol@example.org", CAROL, 1, "hi", 1, 1);
            throw new IllegalStateException("decrypt failed later in the transaction");
        }));

        assertEquals(List.of(), history.latest(10));
    }

    @Test
    void serverUrls_savedInOrder_replacedOnSave() {
        List<URI> urls = List.of(URI.create("https://b.example.org"), URI.create("https://a.example.org"));
        state.serverUrls().save(urls);
        assertEquals(urls, state.serverUrls().load());

        state.serverUrls().save(List.of(URI.create("https://c.example.org")));

        assertEquals(List.of(URI.create("https://c.example.org")), state.serverUrls().load());
    }

    @Test
    void homeLock_file_isPrivate() throws Exception {
        try (HomeLock lock = HomeLock.open(home); HomeLock.Held held = lock.acquire()) {
            assertTrue(Files.exists(home.resolve(HomeLock.FILE_NAME)));
        }

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(HomeLock.FILE_NAME))));
    }
}
