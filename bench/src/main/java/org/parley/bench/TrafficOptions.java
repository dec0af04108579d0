// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import picocli.CommandLine.Option;

/** The traffic shape of the messaging scenarios. */
final class TrafficOptions {
    @Option(names = "--pairs", defaultValue = "100", paramLabel = "N",
            description = "Pairs of simulated devices, each a fresh account (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--size", defaultValue = "200", paramLabel = "BYTES",
            description = "Message text length; it is wrapped in the client's plaintext format and encrypted (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--window", defaultValue = "16", paramLabel = "W",
            description = "Messages in flight per direction of a pair: sent and not yet acked by the receiver (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--crypto", defaultValue = "precomputed", paramLabel = "MODE", converter = CryptoMode.Converter.class,
            description = "precomputed: ciphertexts made before the measurement, receivers ack without decrypting;"
                    + " real: encrypt and decrypt every message during the run (default: ${DEFAULT-VALUE}).")
    CryptoMode crypto;

    @Option(names = "--sealed", description = "Send with sealed sender: PUT /v1/sealed-messages with the recipient's"
            + " access key and no device credentials, ciphertexts sealed with a sender certificate (precomputed crypto only)."
            + " The server's sealed-sender rate limits must be above the offered load.")
    boolean sealed;

    @Option(names = "--transport", defaultValue = "ws", paramLabel = "T", converter = Transport.Converter.class,
            description = "ws: send frames over each sender's delivery WebSocket; http: one PUT /v1/messages per"
                    + " message on a keep-alive connection per message in flight (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--frames", defaultValue = "batch", paramLabel = "F",
            description = "batch: the delivery WebSockets negotiate binary and batch frames (?frames=batch), acks and"
                    + " sends ready at once go out as one message; binary: binary frames, one per message"
                    + " (?frames=binary); json: JSON text frames with base64 ciphertexts (default: ${DEFAULT-VALUE}).")
    String frames;

    FrameFormat frameFormat() {
        return FrameFormat.of(frames);
    }

    @Option(names = "--max-messages", defaultValue = "20000000", paramLabel = "N",
            description = "Upper bound on the messages one run sends (default: ${DEFAULT-VALUE}).")
    long maxMessages;

    void check() {
        if (pairs < 1 || pairs > 10_000) {
            throw new BenchException("--pairs must be 1..10000");
        }
        if (size < 1 || size > 200_000) {
            throw new BenchException("--size must be 1..200000 characters (one ciphertext is at most 256 KiB)");
        }
        if (FrameFormat.of(frames) == null) {
            throw new BenchException("--frames must be batch, binary or json");
        }
        if (window < 1 || window > 1024) {
            throw new BenchException("--window must be 1..1024");
        }
        if (sealed && crypto != CryptoMode.PRECOMPUTED) {
            throw new BenchException("--sealed runs with --crypto precomputed only (the receivers ack without opening)");
        }
    }

    void describe(BenchReport report) {
        report.parameter("pairs", pairs).parameter("size", size).parameter("window", window)
                .parameter("crypto", crypto.wire()).parameter("transport", sealed ? "http" : transport.wire())
                .parameter("frames", frames).parameter("sealed", sealed);
    }
}
