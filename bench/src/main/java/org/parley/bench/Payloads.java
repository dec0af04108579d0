// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SealedCrypto;
import org.parley.client.crypto.SessionCrypto;
import org.parley.protocol.Json;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SendMessageRequest;

/**
 * The request bodies of one direction (sender to receiver) of a pair: a {@code PUT /v1/messages} JSON
 * body holding one ciphertext of a {@code size}-character text in the client's plaintext format.
 * {@link #nextBody} may be called by several sender threads of the direction at once.
 */
abstract sealed class Payloads permits Payloads.Precomputed, Payloads.Real {
    /** The next body to send. */
    abstract byte[] nextBody();

    /** The next send as a record, for the binary frames (which carry no JSON). */
    abstract SendMessageRequest nextRequest();

    /** Ciphertext bytes of one message (before base64). */
    abstract int ciphertextBytes();

    /** {@code poolSize} ciphertexts encrypted now, sent in turn; the receiver must not decrypt them. */
    static Payloads precomputed(SimDevice from, SimDevice to, int size, int poolSize) {
        byte[][] bodies = new byte[poolSize][];
        SendMessageRequest[] requests = new SendMessageRequest[poolSize];
        int cipherBytes = 0;
        for (int i = 0; i < poolSize; i++) {
            EncryptedMessage m = encrypt(from, to, text(size));
            cipherBytes = m.content().length;
            requests[i] = request(m);
            bodies[i] = body(requests[i]);
        }
        return new Precomputed(bodies, requests, cipherBytes);
    }

    /**
     * As {@link #precomputed}, sealed with {@code certificate}: {@code PUT /v1/sealed-messages} bodies.
     */
    static Payloads precomputedSealed(SimDevice from, SimDevice to, byte[] certificate, int size, int poolSize) {
        byte[][] bodies = new byte[poolSize][];
        int cipherBytes = 0;
        for (int i = 0; i < poolSize; i++) {
            byte[] plaintext = Plaintext.message(text(size), System.currentTimeMillis()).encode();
            EncryptedMessage m;
            from.lock().lock();
            try {
                m = new SealedCrypto(from.store(), from.accountId(), from.deviceId()).encrypt(to.address(), certificate, plaintext);
            } finally {
                from.lock().unlock();
            }
            cipherBytes = m.content().length;
            SealedSendRequest request = new SealedSendRequest(System.currentTimeMillis(),
                    List.of(new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content())), null);
            try {
                bodies[i] = Json.lenient().writeValueAsBytes(request);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a sealed send request", e);
            }
        }
        // Sealed sends never ride the authenticated WebSocket (RelayEngine sends them over HTTP): no send frames.
        return new Precomputed(bodies, new SendMessageRequest[bodies.length], cipherBytes);
    }

    /** Encrypts each message when it is sent; the receiver decrypts. */
    static Payloads real(SimDevice from, SimDevice to, int size) {
        return new Real(from, to, text(size));
    }

    static String text(int size) {
        return "x".repeat(Math.max(1, size));
    }

    static EncryptedMessage encrypt(SimDevice from, SimDevice to, String text) {
        byte[] plaintext = Plaintext.message(text, System.currentTimeMillis()).encode();
        from.lock().lock();
        try {
            return new SessionCrypto(from.store()).encrypt(to.address(), plaintext);
        } finally {
            from.lock().unlock();
        }
    }

    static SendMessageRequest request(EncryptedMessage m) {
        return new SendMessageRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(m.deviceId(), m.registrationId(), m.type(), m.content())), List.of());
    }

    static byte[] body(EncryptedMessage m) {
        return body(request(m));
    }

    static byte[] body(SendMessageRequest request) {
        try {
            return Json.lenient().writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a send request", e);
        }
    }

    static final class Precomputed extends Payloads {
        private final byte[][] bodies;
        private final SendMessageRequest[] requests;
        private final int cipherBytes;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        Precomputed(byte[][] bodies, SendMessageRequest[] requests, int cipherBytes) {
            this.bodies = bodies;
            this.requests = requests;
            this.cipherBytes = cipherBytes;
        }

        @Override
        byte[] nextBody() {
            return bodies[Math.floorMod(next.getAndIncrement(), bodies.length)];
        }

        @Override
        SendMessageRequest nextRequest() {
            return requests[Math.floorMod(next.getAndIncrement(), requests.length)];
        }

        @Override
        int ciphertextBytes() {
            return cipherBytes;
        }
    }

    static final class Real extends Payloads {
        private final SimDevice from;
        private final SimDevice to;
        private final String text;
        private volatile int cipherBytes;

        Real(SimDevice from, SimDevice to, String text) {
            this.from = from;
            this.to = to;
            this.text = text;
        }

        @Override
        byte[] nextBody() {
            return body(nextRequest());
        }

        @Override
        SendMessageRequest nextRequest() {
            EncryptedMessage m = encrypt(from, to, text);
            cipherBytes = m.content().length;
            return request(m);
        }

        @Override
        int ciphertextBytes() {
            return cipherBytes;
        }
    }
}
