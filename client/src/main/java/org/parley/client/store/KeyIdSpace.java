// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

/** The independent id sequences of libsignal's prekey stores. Kyber one-time and last-resort keys share one. */
public enum KeyIdSpace {
    PREKEY("next_prekey_id"),
    SIGNED_PREKEY("next_signed_prekey_id"),
    KYBER_PREKEY("next_kyber_prekey_id");

    /** Prekey ids are 24-bit on the wire (the protocol's keyId range). */
    static final int MAX_ID = 0xFFFFFF;

    final String metaKey;

    KeyIdSpace(String metaKey) {
        this.metaKey = metaKey;
    }
}
