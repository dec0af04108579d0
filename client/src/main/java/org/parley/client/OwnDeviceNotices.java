// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyApiException;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;

/**
 * Sends a device notice to every other device of our own account, end-to-end encrypted like any
 * message, so each sibling learns of an added or removed device from one of its own devices and not
 * from the server. {@code devices} is the server's current list (device id to registration id), so the
 * send covers exactly what the server expects; a race with another change is retried once.
 */
final class OwnDeviceNotices {
    private final DeviceContext ctx;

    OwnDeviceNotices(DeviceContext ctx) {
        this.ctx = ctx;
    }

    /** @return how many devices the notice went to */
    int send(Plaintext.DeviceNotice notice) {
        byte[] plaintext = Plaintext.deviceNotice(notice, ctx.clock().millis()).encode();
        ParleyApiException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            Map<Integer, Integer> others = new java.util.LinkedHashMap<>();
            ctx.api().devices().devices().forEach(d -> {
                if (d.deviceId() != ctx.deviceId()) {
                    others.put(d.deviceId(), d.registrationId());
                }
            });
            if (others.isEmpty()) {
                return 0;
            }
            Set<Integer> ready = new SessionSetup(ctx).ensure(ctx.accountId(), others);
            SendMessageRequest request = ctx.state().database().sql(c -> new SendMessageRequest(ctx.clock().millis(),
                    encrypt(ready, plaintext), List.of()));
            try {
                ctx.api().send(ctx.accountId(), request);
                return ready.size();
            } catch (ParleyApiException e) {
                if (e.status() != 409 && e.status() != 410) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private List<OutgoingMessage> encrypt(Set<Integer> devices, byte[] plaintext) {
        List<OutgoingMessage> out = new ArrayList<>(devices.size());
        for (int deviceId : devices) {
            EncryptedMessage m = ctx.crypto().encrypt(SessionCrypto.address(ctx.accountId(), deviceId), plaintext);
            out.add(new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content()));
        }
        return out;
    }
}
