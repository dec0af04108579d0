// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.parley.client.crypto.GroupContext;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyCryptoException;
import org.parley.client.error.ParleyException;
import org.parley.client.error.ParleyStateException;
import org.parley.client.store.GroupMember;
import org.parley.client.store.GroupRecord;
import org.parley.client.store.GroupStore;
import org.parley.protocol.Handles;
import org.parley.protocol.LookupResult;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.CiphertextMessage;

/**
 * Groups, iMessage-style: membership is client state carried in end-to-end encrypted group updates
 * sent 1:1 to every member device (a multi-recipient request, sealed for the members whose access key
 * we hold: {@link GroupFanOut}), so the server never learns who is in a group. Texts are encrypted once with this device's libsignal sender key; the key's
 * distribution message goes 1:1 to every member device that does not hold it yet. Removing a member
 * (or seeing one leave) replaces our sender key (a new distribution id), so a removed member cannot
 * read what follows; a member added later gets the key at its current iteration, so cannot read
 * what came before.
 *
 * <p>Concurrent changes by two members are resolved by revision only: the first update with a
 * higher revision wins, a later one with the same revision is ignored.
 */
final class GroupService {
    static final String CREATED = "created";
    static final String ADDED = "added";
    static final String REMOVED = "removed";
    static final String RENAMED = "renamed";
    static final String LEFT = "left";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceContext ctx;
    private final Directory directory;
    private final GroupStore groups;

    GroupService(DeviceContext ctx, Directory directory) {
        this.ctx = ctx;
        this.directory = directory;
        this.groups = ctx.state().groups();
    }

    // ---- changes --------------------------------------------------------------------------------

    GroupRecord create(String name, List<String> handles) {
        requireName(name);
        Map<String, GroupMember> members = new LinkedHashMap<>();
        members.put(ctx.accountId(), new GroupMember(ctx.accountId(), ctx.account().handle()));
        for (GroupMember m : lookUp(handles)) {
            members.putIfAbsent(m.accountId(), m);
        }
        if (members.size() < 2) {
            throw new IllegalArgumentException("a group needs at least one member besides you");
        }
        GroupRecord group = new GroupRecord(newGroupId(RANDOM), name, 1,
                UUID.randomUUID(), true, List.copyOf(members.values()));
        groups.save(group);
        sendUpdate(group, CREATED, List.of());
        return group;
    }

    GroupRecord add(String groupId, List<String> handles) {
        GroupRecord group = requireActive(groupId);
        List<GroupMember> members = new ArrayList<>(group.members());
        for (GroupMember m : lookUp(handles)) {
            if (!group.hasMember(m.accountId())) {
                members.add(m);
            }
        }
        GroupRecord next = new GroupRecord(group.id(), group.name(), group.revision() + 1, group.distributionId(), true,
                members);
        groups.save(next);
        sendUpdate(next, ADDED, List.of());
        return next;
    }

    GroupRecord remove(String groupId, List<String> handles) {
        GroupRecord group = requireActive(groupId);
        List<GroupMember> removed = new ArrayList<>();
        for (String handle : handles) {
            GroupMember member = memberByHandle(group, handle);
            if (member.accountId().equals(ctx.accountId())) {
                throw new IllegalArgumentException("to remove yourself, leave the group");
            }
            removed.add(member);
        }
        List<GroupMember> members = group.members().stream().filter(m -> !removed.contains(m)).toList();
        // A new sender key: the removed members hold the old one.
        groups.forgetShares(group.distributionId());
        GroupRecord next = new GroupRecord(group.id(), group.name(), group.revision() + 1, UUID.randomUUID(), true,
                members);
        groups.save(next);
        sendUpdate(next, REMOVED, removed);
        return next;
    }

    GroupRecord rename(String groupId, String name) {
        requireName(name);
        GroupRecord group = requireActive(groupId);
        GroupRecord next = new GroupRecord(group.id(), name, group.revision() + 1, group.distributionId(), true,
                group.members());
        groups.save(next);
        sendUpdate(next, RENAMED, List.of());
        return next;
    }

    GroupRecord leave(String groupId) {
        GroupRecord group = requireActive(groupId);
        List<GroupMember> members = group.members().stream().filter(m -> !m.accountId().equals(ctx.accountId())).toList();
        groups.forgetShares(group.distributionId());
        GroupRecord next = new GroupRecord(group.id(), group.name(), group.revision() + 1, UUID.randomUUID(), false,
                members);
        groups.save(next);
        // Our own other devices get it too (every send includes them) and leave with us.
        sendUpdate(next, LEFT, List.of());
        return next;
    }

    List<GroupRecord> list() {
        return groups.list();
    }

    /**
     * The update goes to every member of the new state, to {@code alsoTell} (removed members) and to our
     * other devices: sealed to the members whose access key we hold, and carrying our own key, so that the
     * members can seal to us from now on.
     */
    private void sendUpdate(GroupRecord group, String change, List<GroupMember> alsoTell) {
        List<GroupContext.Member> members = group.members().stream()
                .map(m -> new GroupContext.Member(m.accountId(), m.handle())).toList();
        List<String> accounts = new ArrayList<>(group.members().stream().map(GroupMember::accountId).toList());
        alsoTell.forEach(m -> accounts.add(m.accountId()));
        MultiSender sender = new MultiSender(ctx, accounts);
        GroupFanOut fan = new GroupFanOut(ctx, sender, SendMode.AUTO);
        byte[] plaintext = Plaintext.groupUpdate(new GroupContext(group.id(), group.revision(), group.name(), members,
                change), ctx.clock().millis()).withSenderAccessKey(fan.ownKey()).encode();
        org.parley.client.error.ParleyApiException last = null;
        for (int attempt = 1; attempt <= MultiSender.MAX_ATTEMPTS; attempt++) {
            try {
                fan.send(sender.resolve(), sender.pairwise(a -> plaintext), GroupFanOut.pairwise(plaintext));
                return;
            } catch (org.parley.client.error.ParleyApiException e) {
                if (!sender.correct(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    // ---- sending ----------------------------------------------------------------------------------

    /** The outcome of a group send: how many accounts (how many of them sealed) and devices got it. */
    record Sent(GroupRecord group, int accounts, int devices, long sentAt, long serverTimestamp, int sealedAccounts) {}

    Sent send(String groupId, String text) {
        return send(groupId, text, SendMode.AUTO);
    }

    /**
     * Sends {@code text} to every member device: first our sender key to the devices that lack it
     * (1:1), then the text encrypted once with it, sealed per device for the members whose access key we
     * hold ({@link GroupFanOut}). A device the server reports missing gets the key on the next attempt;
     * the accounts already delivered are not sent to again.
     */
    Sent send(String groupId, String text, SendMode mode) {
        GroupRecord group = requireActive(groupId);
        List<String> accounts = group.members().stream().map(GroupMember::accountId).toList();
        MultiSender sender = new MultiSender(ctx, accounts);
        GroupFanOut fan = new GroupFanOut(ctx, sender, mode);
        SignalProtocolAddress me = SessionCrypto.address(ctx.accountId(), ctx.deviceId());
        long sentAt = ctx.clock().millis();
        byte[] plaintext = Plaintext.groupMessage(group.id(), text, sentAt).encode();
        byte[] groupIdBytes = Base64.getUrlDecoder().decode(group.id());
        int devices = 0;
        int sealedAccounts = 0;
        long serverTimestamp = 0;
        org.parley.client.error.ParleyApiException last = null;
        for (int attempt = 1; attempt <= MultiSender.MAX_ATTEMPTS; attempt++) {
            Map<String, Set<Integer>> targets = sender.resolve();
            int others = (int) targets.entrySet().stream()
                    .filter(e -> !e.getKey().equals(ctx.accountId()) && !e.getValue().isEmpty()).count();
            if (others == 0) {
                throw new ParleyException("none of the other members of " + group.name() + " could be reached");
            }
            // --sealed fails before anything is sent, not after the sender keys went out.
            fan.requireSealable(targets);
            try {
                shareSenderKey(group, sender, targets, me, mode);
                CiphertextMessage message = ctx.state().database().sql(c -> encryptOnce(me, group.distributionId(), plaintext));
                byte[] ciphertext = message.serialize();
                GroupFanOut.Delivered delivered = fan.send(targets, (accountId, deviceId) ->
                        new OutgoingMessage(deviceId, registrationId(accountId, deviceId), MessageType.SENDER_KEY,
                                ciphertext),
                        (crypto, accountId, deviceId, certificate) -> {
                            var m = crypto.seal(SessionCrypto.address(accountId, deviceId), certificate, message,
                                    groupIdBytes);
                            return new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content());
                        });
                devices += delivered.devices();
                sealedAccounts += delivered.sealedAccounts();
                serverTimestamp = serverTimestamp != 0 ? serverTimestamp : delivered.serverTimestamp();
                long id = ctx.state().history().sent("group " + group.name(), null, text, sentAt, serverTimestamp);
                groups.linkHistory(id, group.id());
                return new Sent(group, others, devices, sentAt, serverTimestamp, sealedAccounts);
            } catch (org.parley.client.error.ParleyApiException e) {
                if (!sender.correct(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * Sends our sender key 1:1 to every account with a device that does not hold it yet (all its devices),
     * sealed where the text will be; marks it shared with every account it reached, even when another part
     * of the fan-out failed.
     */
    private void shareSenderKey(GroupRecord group, MultiSender sender, Map<String, Set<Integer>> targets,
                                SignalProtocolAddress me, SendMode mode) {
        Set<String> shared = groups.sharedWith(group.distributionId());
        Map<String, Set<Integer>> lacking = new LinkedHashMap<>();
        targets.forEach((accountId, devices) -> {
            if (devices.stream().anyMatch(d -> !shared.contains(GroupStore.deviceKey(accountId, d, registrationId(accountId, d))))) {
                lacking.put(accountId, devices);
            }
        });
        if (lacking.isEmpty()) {
            return;
        }
        GroupFanOut fan = new GroupFanOut(ctx, sender, mode);
        byte[] distribution = ctx.state().database().sql(c ->
                new GroupSessionBuilder(ctx.state().protocolStore()).create(me, group.distributionId()).serialize());
        byte[] plaintext = Plaintext.senderKey(group.id(), Base64.getEncoder().encodeToString(distribution),
                ctx.clock().millis()).withSenderAccessKey(fan.ownKey()).encode();
        try {
            fan.send(lacking, sender.pairwise(a -> plaintext), GroupFanOut.pairwise(plaintext));
        } finally {
            ctx.state().database().update(c -> lacking.forEach((accountId, devices) -> {
                if (fan.delivered(accountId)) {
                    devices.forEach(d -> groups.markShared(group.distributionId(), accountId, d, registrationId(accountId, d)));
                }
            }));
        }
    }

    /** The registration id our session with the device was made for (0 without a session). */
    private int registrationId(String accountId, int deviceId) {
        return ctx.crypto().remoteRegistrationId(SessionCrypto.address(accountId, deviceId)).orElse(0);
    }

    private CiphertextMessage encryptOnce(SignalProtocolAddress me, UUID distributionId, byte[] plaintext) {
        try {
            return new GroupCipher(ctx.state().protocolStore(), me).encrypt(distributionId, plaintext);
        } catch (NoSessionException e) {
            throw new ParleyCryptoException("this device has no sender key for the group", e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private GroupRecord requireActive(String groupId) {
        GroupRecord group = groups.load(groupId)
                .orElseThrow(() -> new ParleyStateException("no group with id " + groupId + " (see `parley group list`)"));
        if (!group.active()) {
            throw new ParleyStateException("you are no longer a member of " + group.name());
        }
        return group;
    }

    private List<GroupMember> lookUp(List<String> handles) {
        if (handles.isEmpty()) {
            return List.of();
        }
        List<GroupMember> out = new ArrayList<>();
        for (LookupResult r : directory.lookup(handles)) {
            if (r.route() != Route.PARLEY) {
                throw new IllegalArgumentException(r.handle() + " is not on Parley; only Parley users can be in a group");
            }
            out.add(new GroupMember(r.accountId(), r.handle()));
        }
        return out;
    }

    private static GroupMember memberByHandle(GroupRecord group, String handle) {
        String normalized = Handles.normalize(handle);
        return group.members().stream().filter(m -> normalized.equals(m.handle())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(normalized + " is not a member of " + group.name()));
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a group name is 1 to 100 characters");
        }
    }

    /**
     * 32 random bytes, base64url, with the top bit cleared so the id starts with A-Z or a-f and never
     * with '-': typed on a command line (parley group rename ID ...), such an id would read as an option.
     */
    static String newGroupId(java.security.SecureRandom random) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        id[0] &= 0x7F;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }
}
