// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The libsignal message kind of a ciphertext: the first message of a session carries its PQXDH prekey
 * material; a group message is one sender-key ciphertext (the same bytes for every member device).
 * {@code sealed} is a sealed-sender envelope (libsignal {@code SealedSessionCipher}): the sender and the inner
 * message kind are inside the ciphertext, and the envelope carries no source (docs/protocol.md).
 */
public enum MessageType {
    PREKEY("prekey"),
    SIGNAL("signal"),
    SENDER_KEY("senderkey"),
    SEALED("sealed");

    private final String wire;

    MessageType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static MessageType fromWire(String value) {
        for (MessageType t : values()) {
            if (t.wire.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("type must be prekey, signal, senderkey or sealed, was " + value);
    }
}
