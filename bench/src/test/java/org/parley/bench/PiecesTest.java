// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The load generator's small pure parts: guid matching, the latency race, the report and the plot. */
class PiecesTest {
    @Test
    void guidsFind_envelopeFrameAndSendAnswer_findTheGuid() {
        assertEquals("g-1", Guids.find("{\"type\":\"envelope\",\"envelope\":{\"guid\":\"g-1\",\"sourceAccountId\":\"a\"}}"));
        assertEquals("g-2", Guids.find("{\"serverTimestamp\":1,\"guids\":[{\"accountId\":\"a\",\"deviceId\":1,\"guid\":\"g-2\"}]}"));
        assertNull(Guids.find("{\"type\":\"queue-empty\"}"));
        assertEquals("{\"type\":\"ack\",\"guid\":\"g-3\"}", Guids.ack("g-3"));
    }

    @Test
    void latencyTracker_envelopeBeforeAnswer_stillRecordsOnce() {
        LatencyTracker tracker = new LatencyTracker();
        tracker.arrived("early", 5_000_000);
        tracker.answered("early", 1_000_000, true);
        tracker.answered("normal", 1_000_000, true);
        tracker.arrived("normal", 3_000_000);
        tracker.answered("lost", 1_000_000, true);
        Histogram h = tracker.takeHistogram();
        assertEquals(2, h.getTotalCount());
        assertEquals(4000, h.getMaxValue(), 10); // microseconds
        assertEquals(2, tracker.matched());
        assertEquals(1, tracker.undelivered());
        assertEquals(0, tracker.unanswered());
    }

    @Test
    void latencyTracker_warmupMessage_isMatchedButNotRecorded() {
        LatencyTracker tracker = new LatencyTracker();
        tracker.answered("warm", 0, false);
        tracker.arrived("warm", 1_000_000);
        assertEquals(0, tracker.takeHistogram().getTotalCount());
        assertEquals(1, tracker.matched());
    }

    @Test
    void latencyTracker_unsentScheduledMessage_countsAtItsLatenessAsLowerBound() {
        LatencyTracker tracker = new LatencyTracker();
        tracker.unsent(7_000_000_000L);
        assertEquals(1, tracker.unsent());
        assertEquals(7_000_000, tracker.takeHistogram().getMaxValue(), 7_000); // microseconds, 3 digits
        assertEquals(0, tracker.matched());
    }

    @Test
    void benchReport_sectionsAndRows_printAsTablesWithSameKeysAsJson() {
        BenchReport report = new BenchReport("relay", "http://127.0.0.1:1");
        report.parameter("pairs", 2);
        report.put("relay", "acked_per_second", 12.5);
        report.set("sweep", List.of(Map.of("rate", 1.0, "p99_ms", 2.0)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("acked_per_second  12.5"), text);
        assertTrue(text.contains("p99_ms"), text);
    }

    @Test
    void svgPlot_fourSeries_isWellFormedXml() throws Exception {
        String svg = SvgPlot.render("t <&>", "x", "y", new double[] {500, 1000, 2000},
                List.of(new SvgPlot.Series("p50", "#000", new double[] {0.4, 0.5, 0.9}),
                        new SvgPlot.Series("max", "#f00", new double[] {3, 12, 250})));
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(2, doc.getElementsByTagName("polyline").getLength());
    }

    @Test
    void wsFrames_encodedClientFrames_decodeToTheSamePayload() throws Exception {
        for (int size : new int[] {0, 5, 125, 126, 65535, 65536, 200_000}) {
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (i * 31);
            }
            byte[] frame = WsFrames.encode(WsFrames.TEXT, payload);
            assertTrue((frame[1] & 0x80) != 0, "client frames are masked");
            WsFrames.Frame decoded = WsFrames.read(new ByteArrayInputStream(frame));
            assertEquals(WsFrames.TEXT, decoded.opcode());
            assertTrue(decoded.fin());
            assertTrue(java.util.Arrays.equals(payload, decoded.payload()), "size " + size);
        }
    }

    @Test
    void wsFrames_acceptKey_matchesTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsFrames.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void niceCeiling_values_roundUpToOneTwoOrFive() {
        assertEquals(2000, SvgPlot.niceCeiling(1500));
        assertEquals(10000, SvgPlot.niceCeiling(10000));
        assertEquals(5, SvgPlot.niceCeiling(4.2));
    }
}
