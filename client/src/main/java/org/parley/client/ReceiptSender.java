// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.List;
import java.util.Map;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.Receipt;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyException;

/**
 * Sends the receipts this device owes: one message per contact and kind, naming every message it
 * confirms. A receipt is an ordinary padded 1:1 message through {@code PUT /v1/messages/{accountId}}
 * with sync copies, so the server cannot tell it from a text. What cannot be sent now stays owed and
 * goes with the next flush.
 */
final class ReceiptSender {
    private ReceiptSender() {}

    /** Sends everything owed; returns why something could not be sent, or null. */
    static String flush(DeviceContext ctx) {
        Map<String, List<Long>> owed = ctx.state().notices().owed();
        String failure = null;
        for (Map.Entry<String, List<Long>> e : owed.entrySet()) {
            String[] key = e.getKey().split(" ", 2);
            String peer = key[0];
            String kind = key[1];
            List<Long> sentAts = e.getValue();
            try {
                long now = ctx.clock().millis();
                Receipt receipt = new Receipt(kind, sentAts);
                byte[] toPeer = Plaintext.receipt(receipt, now, null).encode();
                String peerHandle = ctx.state().contacts().handleOf(peer).orElse(peer);
                byte[] toOwn = Plaintext.receipt(receipt, now, peerHandle).encode();
                // Through the text path, sealed when a text would be: a receipt must look like a message.
                Map<Integer, Integer> devices = new java.util.LinkedHashMap<>();
                for (int deviceId : ctx.state().protocolStore().deviceIdsWithSession(peer)) {
                    devices.put(deviceId, null);
                }
                new MessageSender(ctx, new Directory(ctx.api(), ctx.state().contacts()))
                        .sendLikeAMessage(peerHandle, peer, devices, toPeer, toOwn);
                ctx.state().notices().paid(peer, kind, sentAts);
            } catch (ParleyApiException ex) {
                if (ex.status() == 404) {
                    // The account is gone: nobody left to tell.
                    ctx.state().notices().paid(peer, kind, sentAts);
                } else {
                    failure = ex.getMessage();
                }
            } catch (ParleyException ex) {
                failure = ex.getMessage();
            }
        }
        return failure;
    }
}
