// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.parley.client.crypto.LinkMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyException;
import org.parley.client.store.OwnDevices;
import org.parley.protocol.DeviceList;
import org.parley.protocol.ProvisioningCode;

/**
 * The existing device's side of linked devices: add one from its {@link LinkCode}, list them against
 * what was announced end-to-end, remove one; each change is announced to the sibling devices with a
 * device notice ({@link OwnDeviceNotices}).
 */
final class DeviceManager {
    private static final Duration POLL = Duration.ofMillis(200);

    private final DeviceContext ctx;

    DeviceManager(DeviceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Seals the account's identity and a fresh provisioning code to the new device, then waits up to
     * {@code timeout} for it to appear in the server's list and announces it to every sibling (the new
     * device included, which so gets a session with this one).
     */
    LinkedDevice add(LinkCode code, Duration timeout) {
        Set<Integer> before = ids(ctx.api().devices());
        ProvisioningCode provisioning = ctx.api().provisioningCode();
        List<LinkMessage.KnownDevice> known = new ArrayList<>();
        knownDevices().forEach((id, registrationId) -> known.add(new LinkMessage.KnownDevice(id, registrationId)));
        LinkMessage message = new LinkMessage(LinkMessage.VERSION, ctx.accountId(), ctx.account().handle(),
                ctx.state().protocolStore().getIdentityKeyPair().serialize(), provisioning.code(),
                ctx.api().servers().stream().map(Object::toString).toList(), ctx.deviceId(), known,
                // So the new device verifies sealed messages against the same root and shares the account's
                // access key (a key of its own would void the one every contact holds).
                ctx.state().sealedSender().ownAccessKey().orElse(null),
                ctx.state().sealedSender().trustRoot().orElse(null));
        ctx.api().sendProvisioningMessage(code.provisioningId(), message.seal(code.publicKey(), code.provisioningId()));

        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DeviceList now = ctx.api().devices();
            for (DeviceList.Device d : now.devices()) {
                if (!before.contains(d.deviceId())) {
                    ctx.state().ownDevices().add(d.deviceId(), d.registrationId(), OwnDevices.NOTICE);
                    int told = new OwnDeviceNotices(ctx).send(
                            new Plaintext.DeviceNotice(Plaintext.DeviceNotice.ADDED, d.deviceId(), d.registrationId()));
                    return new LinkedDevice(d.deviceId(), d.registrationId(), told);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ParleyException("the link message was sent, but the new device did not join within "
                        + timeout.toSeconds() + " s; check it, then run `parley device list`");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ParleyException("interrupted while waiting for the new device");
            }
        }
    }

    List<DeviceStatus> list() {
        Map<Integer, Integer> known = knownDevices();
        List<DeviceStatus> out = new ArrayList<>();
        for (DeviceList.Device d : ctx.api().devices().devices()) {
            Integer registrationId = known.get(d.deviceId());
            boolean announced = registrationId != null && registrationId == d.registrationId();
            out.add(new DeviceStatus(d.deviceId(), d.registrationId(), Instant.ofEpochMilli(d.createdAt()),
                    LocalDate.ofEpochDay(d.lastSeenDay()), d.deviceId() == ctx.deviceId(), announced));
        }
        return out;
    }

    /** Removes a linked device on the server, forgets its session, and tells the remaining siblings. */
    int remove(int deviceId) {
        if (deviceId == ctx.deviceId()) {
            throw new IllegalArgumentException("this is device " + deviceId + "; remove it from another device of the account");
        }
        int registrationId = ctx.api().devices().devices().stream().filter(d -> d.deviceId() == deviceId).findFirst()
                .map(DeviceList.Device::registrationId).orElse(0);
        ctx.api().removeDevice(deviceId);
        ctx.state().protocolStore().deleteSession(SessionCrypto.address(ctx.accountId(), deviceId));
        ctx.state().ownDevices().remove(deviceId);
        return new OwnDeviceNotices(ctx).send(
                new Plaintext.DeviceNotice(Plaintext.DeviceNotice.REMOVED, deviceId, registrationId));
    }

    /**
     * The devices known end-to-end. A home registered before linked devices existed has no rows: it knew
     * only itself, so it starts from that.
     */
    private Map<Integer, Integer> knownDevices() {
        Map<Integer, Integer> known = ctx.state().ownDevices().known();
        if (!known.containsKey(ctx.deviceId())) {
            int registrationId = ctx.state().protocolStore().getLocalRegistrationId();
            ctx.state().ownDevices().add(ctx.deviceId(), registrationId, OwnDevices.SELF);
            known = ctx.state().ownDevices().known();
        }
        return known;
    }

    private static Set<Integer> ids(DeviceList list) {
        return list.devices().stream().map(DeviceList.Device::deviceId).collect(Collectors.toCollection(TreeSet::new));
    }
}
