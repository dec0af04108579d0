// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.GroupContext;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.Receipt;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.GroupMember;
import org.parley.client.store.GroupRecord;
import org.parley.client.store.LocalState;
import org.parley.protocol.Envelope;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;

/**
 * The received plaintexts that are not plain 1:1 texts: group updates, sender keys, group texts,
 * receipts and typing indicators; and the delivery receipt every text from someone else earns.
 * Runs inside {@link EnvelopeStore}'s transaction, so what it records commits with the ratchet step.
 *
 * <p>Group updates are trusted only from a current member (or, for a group new to us, from a member
 * of the group it describes that includes us), and only with a higher revision than ours.
 */
final class IncomingExtras {
    private final LocalState state;
    private final String ownAccountId;

    IncomingExtras(LocalState state, String ownAccountId) {
        this.state = state;
        this.ownAccountId = ownAccountId;
    }

    /** Decrypts a sender-key envelope: a group text. */
    byte[] decryptGroup(Envelope envelope) throws DecryptionException {
        GroupCipher cipher = new GroupCipher(state.protocolStore(),
                SessionCrypto.address(envelope.sourceAccountId(), envelope.sourceDeviceId()));
        try {
            return cipher.decrypt(envelope.content());
        } catch (NoSessionException e) {
            throw new DecryptionException(DecryptionException.Reason.NO_SESSION,
                    "no sender key for this group message (not a member when it was sent, or removed since)", e);
        } catch (DuplicateMessageException e) {
            throw new DecryptionException(DecryptionException.Reason.DUPLICATE, "group message already decrypted", e);
        } catch (InvalidMessageException | LegacyMessageException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the group ciphertext is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Handles {@code plaintext} if it is one of the kinds above and returns true; false for an ordinary
     * 1:1 text (then only the delivery receipt is owed, which this records too).
     */
    boolean handle(Envelope envelope, Plaintext plaintext, boolean senderKeyEnvelope) throws DecryptionException {
        String sender = envelope.sourceAccountId();
        boolean fromMe = ownAccountId.equals(sender);
        if (senderKeyEnvelope) {
            groupText(envelope, plaintext, fromMe);
            return true;
        }
        if (plaintext.senderKeyDistribution() != null && plaintext.group() != null) {
            senderKey(envelope, plaintext);
            return true;
        }
        if (plaintext.group() != null && plaintext.group().members() != null) {
            groupUpdate(envelope, plaintext.group());
            return true;
        }
        if (plaintext.receipt() != null) {
            Receipt r = plaintext.receipt();
            if (!fromMe && (Receipt.DELIVERED.equals(r.type()) || Receipt.READ.equals(r.type())) && r.sentAt() != null) {
                state.notices().add(r.type(), envelope.sourceHandle(), sender, null, null, r.sentAt());
            }
            return true; // a copy of a receipt our other device sent needs nothing
        }
        if (plaintext.typing() != null) {
            if (!fromMe) {
                state.notices().add("typing", envelope.sourceHandle(), sender, null, plaintext.typing(), null);
            }
            return true;
        }
        if (plaintext.group() != null) {
            return true; // a group reference without anything else: nothing to do
        }
        if (!fromMe) {
            state.notices().owe(sender, Receipt.DELIVERED, plaintext.sentAt());
        }
        return false;
    }

    private void groupText(Envelope envelope, Plaintext plaintext, boolean fromMe) throws DecryptionException {
        GroupContext ref = plaintext.group();
        if (ref == null || plaintext.body() == null) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE, "a group message without group or text", null);
        }
        Optional<GroupRecord> group = state.groups().load(ref.id());
        if (group.isEmpty() || !group.get().hasMember(envelope.sourceAccountId()) || !group.get().active()) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "a group message from someone who is not a member of that group (or for a group we left)", null);
        }
        long id;
        if (fromMe) {
            id = state.history().syncCopy(envelope.guid(), "group " + group.get().name(), envelope.sourceDeviceId(),
                    plaintext.body(), plaintext.sentAt(), envelope.serverTimestamp());
        } else {
            id = state.history().received(envelope.guid(), envelope.sourceHandle(), envelope.sourceAccountId(),
                    envelope.sourceDeviceId(), plaintext.body(), plaintext.sentAt(), envelope.serverTimestamp());
            state.notices().owe(envelope.sourceAccountId(), Receipt.DELIVERED, plaintext.sentAt());
        }
        state.groups().linkHistory(id, ref.id());
    }

    private void senderKey(Envelope envelope, Plaintext plaintext) throws DecryptionException {
        Optional<GroupRecord> group = state.groups().load(plaintext.group().id());
        if (group.isEmpty() || !group.get().hasMember(envelope.sourceAccountId())) {
            return; // not a group we share with the sender: keep no key of theirs
        }
        try {
            SenderKeyDistributionMessage skdm = new SenderKeyDistributionMessage(
                    Base64.getDecoder().decode(plaintext.senderKeyDistribution()));
            new GroupSessionBuilder(state.protocolStore()).process(
                    SessionCrypto.address(envelope.sourceAccountId(), envelope.sourceDeviceId()), skdm);
        } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException | InvalidKeyException
                 | IllegalArgumentException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "an invalid sender key distribution: " + e.getMessage(), e);
        }
    }

    private void groupUpdate(Envelope envelope, GroupContext update) {
        String sender = envelope.sourceAccountId();
        if (update.id() == null || update.revision() == null || update.name() == null) {
            return;
        }
        List<GroupMember> members = update.members().stream()
                .filter(m -> m.accountId() != null)
                .map(m -> new GroupMember(m.accountId(), m.handle())).toList();
        Set<String> newIds = members.stream().map(GroupMember::accountId).collect(Collectors.toSet());
        boolean meIncluded = newIds.contains(ownAccountId);
        Optional<GroupRecord> existing = state.groups().load(update.id());
        String detail;
        if (existing.isEmpty()) {
            // A group new to us: the sender must be in it, and so must we.
            if (!meIncluded || !newIds.contains(sender)) {
                return;
            }
            state.groups().save(new GroupRecord(update.id(), update.name(), update.revision(), UUID.randomUUID(), true,
                    members));
            detail = ownAccountId.equals(sender) ? "created the group" : "added you to the group";
        } else {
            GroupRecord old = existing.get();
            if (!old.hasMember(sender) || update.revision() <= old.revision()) {
                return;
            }
            List<GroupMember> gone = old.members().stream().filter(m -> !newIds.contains(m.accountId())).toList();
            List<GroupMember> added = members.stream().filter(m -> !old.hasMember(m.accountId())).toList();
            UUID distribution = old.distributionId();
            if (!gone.isEmpty()) {
                // Someone left or was removed: our sender key is replaced so that they cannot read on.
                state.groups().forgetShares(distribution);
                distribution = UUID.randomUUID();
            }
            boolean stillIn = meIncluded && old.active();
            state.groups().save(new GroupRecord(update.id(), update.name(), update.revision(), distribution, stillIn,
                    members));
            detail = describe(old, update, added, gone, sender);
        }
        state.notices().add("group", envelope.sourceHandle(), sender, update.id(), detail, null);
    }

    private String describe(GroupRecord old, GroupContext update, List<GroupMember> added, List<GroupMember> gone,
                            String sender) {
        List<String> parts = new ArrayList<>();
        if (!update.name().equals(old.name())) {
            parts.add("renamed the group to \"" + update.name() + "\"");
        }
        if (!added.isEmpty()) {
            parts.add("added " + names(added));
        }
        List<GroupMember> removed = gone.stream().filter(m -> !m.accountId().equals(sender)).toList();
        if (gone.size() != removed.size()) {
            parts.add("left the group");
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + names(removed));
        }
        return parts.isEmpty() ? "updated the group" : String.join(", ", parts);
    }

    private String names(List<GroupMember> members) {
        return members.stream().map(m -> m.accountId().equals(ownAccountId) ? "you"
                : m.handle() != null ? m.handle() : m.accountId()).collect(Collectors.joining(", "));
    }
}
