// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The groups and notices tables of a real home's SQLite state, across a reopen. */
class GroupAndNoticeStoreTest {
    @TempDir
    Path home;

    @Test
    void group_savedAndReloaded_withMembersAndShares() {
        UUID distribution = UUID.randomUUID();
        GroupRecord group = new GroupRecord("g1", "Climbing", 3, distribution, true,
                List.of(new GroupMember("a", "alice@example.org"), new GroupMember("b", "bob@example.org")));
        try (LocalState state = LocalState.open(home)) {
            state.groups().save(group);
            state.groups().markShared(distribution, "b", 1, 4711);
            state.groups().linkHistory(42, "g1");
        }
        try (LocalState state = LocalState.open(home)) {
            GroupRecord loaded = state.groups().load("g1").orElseThrow();
            assertEquals(group, loaded);
            assertTrue(loaded.hasMember("b"));
            assertEquals(List.of(loaded), state.groups().list());
            assertEquals(Set.of(GroupStore.deviceKey("b", 1, 4711)), state.groups().sharedWith(distribution));
            assertFalse(state.groups().sharedWith(distribution).contains(GroupStore.deviceKey("b", 1, 815)),
                    "a reinstalled device (new registration id) needs the key again");
            assertEquals("g1", state.groups().groupOfHistory(42).orElseThrow());

            // Fewer members: the member list is replaced, and a forgotten key is held by nobody.
            state.groups().save(new GroupRecord("g1", "Climbing", 4, UUID.randomUUID(), true,
                    List.of(new GroupMember("a", "alice@example.org"))));
            state.groups().forgetShares(distribution);
            assertFalse(state.groups().load("g1").orElseThrow().hasMember("b"));
            assertEquals(Set.of(), state.groups().sharedWith(distribution));
        }
    }

    @Test
    void receiptsOwed_groupedByContactAndKind_untilPaid() {
        try (LocalState state = LocalState.open(home)) {
            state.notices().owe("b", "delivered", 2L);
            state.notices().owe("b", "delivered", 1L);
            state.notices().owe("b", "delivered", 1L);
            state.notices().owe("b", "read", 1L);
            assertEquals(Map.of("b delivered", List.of(1L, 2L), "b read", List.of(1L)), state.notices().owed());
            state.notices().paid("b", "delivered", List.of(1L, 2L));
            assertEquals(Map.of("b read", List.of(1L)), state.notices().owed());
        }
    }

    @Test
    void notices_reportedOnce_andReadReceiptsOnByDefault() {
        try (LocalState state = LocalState.open(home)) {
            assertTrue(state.notices().readReceipts());
            state.notices().setReadReceipts(false);
            assertFalse(state.notices().readReceipts());
            state.notices().add("read", "bob@example.org", "b", null, null, List.of(5L, 6L));
            state.notices().add("typing", null, "b", null, "started", null);
            List<NoticeStore.Notice> notices = state.notices().unreported();
            assertEquals(2, notices.size());
            assertEquals(List.of(5L, 6L), notices.getFirst().sentAts());
            assertEquals("started", notices.get(1).detail());
            notices.forEach(n -> state.notices().reported(n.id()));
            assertEquals(List.of(), state.notices().unreported());
        }
    }
}
