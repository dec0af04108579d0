// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.List;
import java.util.function.Consumer;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Receipt;
import org.parley.client.store.HistoryEntry;
import org.parley.client.store.LocalState;

/**
 * Hands history entries that were stored but not shown yet to a user interface, and marks each shown only
 * after the interface returned: a crash before that shows it again, a crash after it does not. Callers
 * hold the home's receive lock, so two receivers never both show one entry.
 */
final class UnshownEntries {
    private final LocalState state;
    private final String ownHandle;
    private final String ownAccountId;

    UnshownEntries(LocalState state, String ownHandle, String ownAccountId) {
        this.state = state;
        this.ownHandle = ownHandle;
        this.ownAccountId = ownAccountId;
    }

    /** One entry at a time, at most {@code limit} of them (negative: all); returns how many were shown. */
    int showEach(ReceiveHandler handler, int limit) {
        int shown = 0;
        for (HistoryEntry entry : state.history().unshown()) {
            if (limit >= 0 && shown >= limit) {
                break;
            }
            handler.onEvent(event(entry));
            state.database().update(c -> {
                state.history().markShown(entry.id());
                oweReadReceipt(entry);
            });
            shown++;
        }
        return shown;
    }

    /** All of them in one list (empty when none); marked shown together once {@code display} returned. */
    int showAll(Consumer<List<ReceiveEvent>> display) {
        List<HistoryEntry> entries = state.history().unshown();
        display.accept(entries.stream().map(this::event).toList());
        state.database().update(c -> entries.forEach(e -> {
            state.history().markShown(e.id());
            oweReadReceipt(e);
        }));
        return entries.size();
    }

    /** A text from someone else that was just shown earns a read receipt, unless they are turned off. */
    private void oweReadReceipt(HistoryEntry e) {
        if (e.kind() == HistoryEntry.Kind.MESSAGE && e.direction() == HistoryEntry.Direction.IN
                && e.peerAccountId() != null && !e.peerAccountId().equals(ownAccountId)
                && state.notices().readReceipts()) {
            state.notices().owe(e.peerAccountId(), Receipt.READ, e.sentAt());
        }
    }

    private java.util.List<org.parley.client.crypto.AttachmentPointer> attachments(HistoryEntry e) {
        return AttachmentTransfer.fromJson(state.historyAttachments().of(e.id()));
    }

    private ReceiveEvent event(HistoryEntry e) {
        int device = e.sourceDeviceId() == null ? 0 : e.sourceDeviceId();
        if (e.kind() == HistoryEntry.Kind.MESSAGE) {
            var group = state.groups().groupOfHistory(e.id()).flatMap(state.groups()::load);
            if (group.isPresent()) {
                boolean fromMe = e.direction() == HistoryEntry.Direction.OUT;
                return new GroupMessage(e.guid(), group.get().id(), group.get().name(),
                        fromMe ? ownHandle : e.peerHandle(), fromMe ? ownAccountId : e.peerAccountId(), device,
                        e.body(), e.sentAt(), e.serverTimestamp(), fromMe, state.sealedSender().wasSealed(e.guid()));
            }
        }
        if (e.kind() == HistoryEntry.Kind.UNDECRYPTABLE) {
            return new UndecryptableMessage(e.guid(), e.peerHandle(), e.peerAccountId(), device, e.serverTimestamp(),
                    DecryptionException.Reason.valueOf(e.reason()), e.detail());
        }
        if (e.direction() == HistoryEntry.Direction.OUT) {
            // Only sync copies are stored unshown: a message our other device sent to peerHandle.
            return new ReceivedMessage(e.guid(), ownHandle, ownAccountId, device, e.body(), e.sentAt(),
                    e.serverTimestamp(), e.peerHandle(), state.sealedSender().wasSealed(e.guid()), attachments(e));
        }
        return new ReceivedMessage(e.guid(), e.peerHandle(), e.peerAccountId(), device, e.body(), e.sentAt(),
                e.serverTimestamp(), null, state.sealedSender().wasSealed(e.guid()), attachments(e));
    }
}
