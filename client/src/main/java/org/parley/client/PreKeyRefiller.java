// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.crypto.PreKeyManager;
import org.parley.protocol.Limits;
import org.parley.protocol.PreKeyCounts;

/**
 * Tops up one-time prekeys on the server. Below {@link #THRESHOLD} left of a kind, it uploads enough
 * to get back to {@link #TARGET}: senders who find none fall back to the last-resort Kyber key and no
 * one-time EC key, which is weaker.
 */
final class PreKeyRefiller {
    static final int THRESHOLD = 20;
    static final int TARGET = Limits.MAX_KEYS_PER_UPLOAD;

    private final DeviceContext ctx;
    private final PreKeyManager keys;

    PreKeyRefiller(DeviceContext ctx, PreKeyManager keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    PreKeyRefill refillIfLow() {
        PreKeyCounts counts = ctx.api().preKeyCounts();
        int ec = counts.preKeys() < THRESHOLD ? TARGET - counts.preKeys() : 0;
        int kyber = counts.pqPreKeys() < THRESHOLD ? TARGET - counts.pqPreKeys() : 0;
        if (ec > 0 || kyber > 0) {
            ctx.api().uploadKeys(keys.createOneTimeKeys(ec, kyber));
        }
        return new PreKeyRefill(counts.preKeys(), counts.pqPreKeys(), ec, kyber);
    }
}
