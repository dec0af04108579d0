// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyException;
import org.parley.client.store.LocalState;
import org.parley.client.store.SessionResets;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.PreKeyBundles;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SessionRecord;

/**
 * Session repair: when a message from a device could not be decrypted because the sessions diverged
 * (no session, a message that does not fit it, a deleted prekey), this device
 * <ol>
 * <li>archives its session with that device (libsignal keeps the archived state, so a late message
 *     of the old session can still be read),</li>
 * <li>fetches the device's prekey bundle and starts a new session from it, and</li>
 * <li>sends a {@code sessionReset} message, a PreKeySignalMessage of the new session, to the
 *     account's devices: decrypting it replaces the sender's session too, and the device it names
 *     tells its user that what it sent recently may be lost.</li>
 * </ol>
 * Both users see a {@link SessionResetNotice} instead of a silent loss. Resets are limited to one per
 * remote device per hour ({@link EnvelopeStore#RESET_INTERVAL_MS}); one that cannot be sent (the
 * server is unreachable) is retried after the next envelope or by the next receive.
 */
final class SessionRepair {
    private final DeviceContext ctx;

    SessionRepair(DeviceContext ctx) {
        this.ctx = ctx;
    }

    /** Sends every pending reset; a failure leaves it pending for the next try. */
    void sendPending() {
        for (SessionResets.Pending reset : ctx.state().sessionResets().pending()) {
            try {
                send(reset);
            } catch (ParleyException e) {
                // Unreachable or refused (e.g. the key-fetch limit): stays pending, retried later.
                return;
            }
        }
    }

    private void send(SessionResets.Pending reset) {
        SignalProtocolAddress address = SessionCrypto.address(reset.accountId(), reset.deviceId());
        PreKeyBundles bundles;
        try {
            bundles = ctx.api().bundle(reset.accountId(), reset.deviceId());
        } catch (ParleyApiException e) {
            if (e.status() == 404) {
                // The device (or account) is gone: nothing to repair.
                ctx.state().sessionResets().done(reset, false, ctx.clock().millis());
                return;
            }
            throw e;
        }
        ctx.state().database().update(c -> {
            SessionRecord current = ctx.state().protocolStore().loadSession(address);
            if (current != null) {
                current.archiveCurrentState();
                ctx.state().protocolStore().storeSession(address, current);
            }
            for (DeviceBundle bundle : bundles.devices()) {
                ctx.crypto().startSession(reset.accountId(), bundle);
            }
        });
        // Every device of the account gets it (the server wants them all); the ones we hold sessions with
        // are named, the server's 409 adds any other.
        Map<Integer, Integer> devices = new LinkedHashMap<>();
        for (int deviceId : ctx.state().protocolStore().deviceIdsWithSession(reset.accountId())) {
            devices.put(deviceId, null);
        }
        String handle = ctx.state().contacts().handleOf(reset.accountId()).orElse(null);
        byte[] plaintext = Plaintext.sessionReset(reset.deviceId(), ctx.clock().millis()).encode();
        new MessageSender(ctx, new Directory(ctx.api(), ctx.state().contacts()))
                .sendControl(handle, reset.accountId(), devices, plaintext);
        ctx.state().sessionResets().done(reset, true, ctx.clock().millis());
    }

    /** The reset notices not reported yet, with handles, each reported once. */
    static List<SessionResetNotice> drainNotices(LocalState state) {
        return state.sessionResets().drainNotices().stream()
                .map(n -> new SessionResetNotice(n.sent(), state.contacts().handleOf(n.accountId()).orElse(null),
                        n.accountId(), n.deviceId(), Instant.ofEpochMilli(n.at())))
                .toList();
    }
}
