// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.ArrayList;
import java.util.List;
import org.parley.client.store.GroupRecord;
import org.parley.client.store.LocalState;
import org.parley.client.store.NoticeStore;

/** Turns the notices a receive recorded into events, each reported once and then deleted. */
final class Notices {
    private Notices() {}

    static List<ReceiveEvent> drain(LocalState state) {
        List<NoticeStore.Notice> notices = state.notices().unreported();
        if (notices.isEmpty()) {
            return List.of();
        }
        List<ReceiveEvent> events = new ArrayList<>();
        state.database().update(c -> {
            for (NoticeStore.Notice n : notices) {
                events.add(event(state, n));
                state.notices().reported(n.id());
            }
        });
        return events;
    }

    private static ReceiveEvent event(LocalState state, NoticeStore.Notice n) {
        String handle = n.peerHandle() != null ? n.peerHandle() : state.contacts().handleOf(n.peerAccountId()).orElse(null);
        return switch (n.kind()) {
            case "typing" -> new TypingNotice(handle, n.peerAccountId(), "started".equals(n.detail()));
            case "group" -> new GroupNotice(n.groupId(),
                    state.groups().load(n.groupId()).map(GroupRecord::name).orElse(n.groupId()), handle,
                    n.peerAccountId(), n.detail());
            default -> new ReceiptNotice(n.kind(), handle, n.peerAccountId(), n.sentAts(),
                    n.sentAts().stream().map(at -> state.notices().sentText(at).orElse(null)).toList());
        };
    }
}
