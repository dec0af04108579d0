// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.parley.client.crypto.SessionCrypto;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.PreKeyBundles;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.parley.client.error.ParleyApiException;

/**
 * Makes sure a session exists with each device of an account, fetching prekey bundles only for devices
 * that need one. Every fetch consumes a one-time key of the remote device, so the all-devices endpoint
 * is used only when every device of another account needs a bundle.
 */
final class SessionSetup {
    private final DeviceContext ctx;

    SessionSetup(DeviceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param devices device id to the registration id it is expected to have (null when unknown); a
     *                session made with another registration id is stale and replaced
     * @return the devices that now have a session: the requested ones minus any the server no longer
     *         has, plus any new device an all-devices fetch revealed
     */
    Set<Integer> ensure(String accountId, Map<Integer, Integer> devices) {
        SessionCrypto crypto = ctx.crypto();
        Set<Integer> ready = new TreeSet<>();
        Set<Integer> needed = new TreeSet<>();
        devices.forEach((deviceId, expectedRegistrationId) -> {
            SignalProtocolAddress address = SessionCrypto.address(accountId, deviceId);
            OptionalInt current = crypto.remoteRegistrationId(address);
            boolean stale = current.isPresent() && expectedRegistrationId != null
                    && current.getAsInt() != expectedRegistrationId;
            if (current.isEmpty() || stale) {
                if (stale) {
                    ctx.state().protocolStore().deleteSession(address);
                }
                needed.add(deviceId);
            } else {
                ready.add(deviceId);
            }
        });
        if (needed.isEmpty()) {
            return ready;
        }
        // For our own account the all-devices fetch would also spend a key of this very device.
        if (ready.isEmpty() && !accountId.equals(ctx.accountId())) {
            PreKeyBundles all = ctx.api().bundles(accountId);
            for (DeviceBundle bundle : all.devices()) {
                if (isMine(accountId, bundle.deviceId())) {
                    continue;
                }
                crypto.startSession(accountId, bundle);
                ready.add(bundle.deviceId());
            }
            return ready;
        }
        for (int deviceId : needed) {
            PreKeyBundles one;
            try {
                one = ctx.api().bundle(accountId, deviceId);
            } catch (ParleyApiException e) {
                if (e.status() == 404) {
                    continue; // the device is gone; the send will learn the current list from the server
                }
                throw e;
            }
            for (DeviceBundle bundle : one.devices()) {
                crypto.startSession(accountId, bundle);
                ready.add(bundle.deviceId());
            }
        }
        return ready;
    }

    /** This very device never gets a session with itself. */
    private boolean isMine(String accountId, int deviceId) {
        return accountId.equals(ctx.accountId()) && deviceId == ctx.deviceId();
    }
}
