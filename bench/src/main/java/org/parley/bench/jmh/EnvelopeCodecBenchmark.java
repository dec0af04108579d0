// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Plaintext;
import org.parley.protocol.Envelope;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;

/**
 * JSON cost of one message on the server, with the server's mapper ({@link Json#strict()}):
 * <ul>
 *   <li>{@code encodeEnvelopeFrame}: an {@code envelope} WebSocket frame to text, as delivery writes it
 *       (writer for {@link Frame}, so the {@code type} property is included);</li>
 *   <li>{@code decodeEnvelopeFrame}: that text back to a {@link Frame};</li>
 *   <li>{@code decodeSendMessageRequest}: the body of {@code PUT /v1/messages/{accountId}} (one
 *       ciphertext, no sync copies) from bytes, as {@code HttpJson.read} does;</li>
 *   <li>{@code plaintextRoundTrip}: on the client, the {@link Plaintext} JSON inside a ciphertext
 *       encoded and decoded again ({@link Json#lenient()}), the one per-message cost of the client's
 *       that {@code ClientCryptoBenchmark} leaves out.</li>
 * </ul>
 * {@code contentBytes} is the ciphertext size before base64 (200 B is the load generator's default
 * message, 4 KiB a long one); for {@code plaintextRoundTrip} it is the size of the encoded plaintext.
 *
 * <pre>{@code
 * bench/jmh EnvelopeCodecBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeCodecBenchmark {
    private static final ObjectWriter FRAME_WRITER = Json.strict().writerFor(Frame.class);
    private static final ObjectReader FRAME_READER = Json.strict().readerFor(Frame.class);
    private static final ObjectReader SEND_READER = Json.strict().readerFor(SendMessageRequest.class);

    @Param({"200", "4096"})
    int contentBytes;

    private Frame.EnvelopeFrame frame;
    private String frameText;
    private byte[] sendBody;
    private String body;

    @Setup
    public void setUp() throws IOException {
        byte[] content = new byte[contentBytes];
        new SplittableRandom(42).nextBytes(content);
        long now = System.currentTimeMillis();
        frame = new Frame.EnvelopeFrame(new Envelope(UUID.randomUUID().toString(), UUID.randomUUID().toString(), 1,
                "+41446681800", 1, MessageType.SIGNAL, content, now - 5, now));
        frameText = FRAME_WRITER.writeValueAsString(frame);
        sendBody = Json.strict().writeValueAsBytes(new SendMessageRequest(now,
                List.of(new OutgoingMessage(1, 4321, MessageType.SIGNAL, content)), List.of()));
        body = "x".repeat(contentBytes - Plaintext.message("", 1_764_000_000_000L).encode().length);
    }

    @Benchmark
    public String encodeEnvelopeFrame() throws IOException {
        return FRAME_WRITER.writeValueAsString(frame);
    }

    @Benchmark
    public Frame decodeEnvelopeFrame() throws IOException {
        return FRAME_READER.readValue(frameText);
    }

    @Benchmark
    public SendMessageRequest decodeSendMessageRequest() throws IOException {
        return SEND_READER.readValue(sendBody);
    }

    @Benchmark
    public String plaintextRoundTrip() throws DecryptionException {
        return Plaintext.decode(Plaintext.message(body, 1_764_000_000_000L).encode()).body();
    }
}
