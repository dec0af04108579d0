// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.parley.protocol.Json;
import org.parley.protocol.OprfEvaluateRequest;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;

/**
 * Whole lookups, plain ({@code GET /v1/directory/{handle}}) or private (blind, {@code POST
 * /v1/private-lookup/evaluate}, finalize, {@code GET /v1/private-lookup/buckets/...}, match the tag,
 * open the pointer), from several requesters each keeping {@code window} lookups in flight. Counts the
 * bytes each lookup sends and receives (request line, headers and body up; response body down).
 */
final class PrivateLookupBench {
    private final BenchTarget target;
    private final List<SimDevice> requesters;
    private final List<String> handles;
    private final int window;
    private final Oprf oprf = Oprf.p256Sha256();

    PrivateLookupBench(BenchTarget target, List<SimDevice> requesters, List<String> handles, int window) {
        this.target = target;
        this.requesters = requesters;
        this.handles = handles;
        this.window = window;
    }

    /** Warm-up, then measurement of one kind of lookup; returns its figures. */
    Map<String, Object> run(boolean privately, Duration warmup, Duration duration, Optional<ServerProcess> server) {
        long measureStart = System.nanoTime() + warmup.toNanos();
        long measureEnd = measureStart + duration.toNanos();
        Recorder latency = new Recorder(3);
        LongAdder done = new LongAdder();
        LongAdder found = new LongAdder();
        LongAdder up = new LongAdder();
        LongAdder down = new LongAdder();
        LongAdder errors = new LongAdder();
        List<Thread> workers = new ArrayList<>();
        for (SimDevice r : requesters) {
            AtomicInteger next = new AtomicInteger(r.hashCode());
            for (int w = 0; w < window; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    SecureRandom random = new SecureRandom();
                    try (RawHttp http = new RawHttp(target.server())) {
                        while (System.nanoTime() < measureEnd) {
                            String handle = handles.get(Math.floorMod(next.getAndIncrement(), handles.size()));
                            long[] bytes = new long[2];
                            long t0 = System.nanoTime();
                            Boolean hit;
                            try {
                                hit = privately ? privateLookup(http, r, handle, random, bytes) : plainLookup(http, r, handle, bytes);
                            } catch (IOException | RuntimeException e) {
                                hit = null;
                            }
                            long t1 = System.nanoTime();
                            if (hit == null) {
                                errors.increment();
                            } else if (t0 >= measureStart && t1 < measureEnd) {
                                done.increment();
                                if (hit) {
                                    found.increment();
                                }
                                up.add(bytes[0]);
                                down.add(bytes[1]);
                                latency.recordValue((t1 - t0) / 1000);
                            }
                        }
                    }
                }));
            }
        }
        Map<String, Object> resources;
        try (ResourceMonitor monitor = new ResourceMonitor(server)) {
            RelayEngine.sleepUntil(measureStart);
            monitor.markStart();
            RelayEngine.sleepUntil(measureEnd);
            monitor.markEnd();
            for (Thread t : workers) {
                t.join();
            }
            resources = monitor.report(done.sum(), "lookup");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        long n = Math.max(1, done.sum());
        Map<String, Object> m = OfflineDrainCommand.map(
                "lookups_per_second", ResourceMonitor.round(done.sum() / (duration.toNanos() / 1e9), 1),
                "found_on_parley", found.sum(),
                "bytes_up_per_lookup", ResourceMonitor.round((double) up.sum() / n, 1),
                "bytes_down_per_lookup", ResourceMonitor.round((double) down.sum() / n, 1),
                "latency", Latency.of(latency.getIntervalHistogram()).toMap(),
                "errors", errors.sum());
        m.put("resources", resources);
        return m;
    }

    private static Boolean plainLookup(RawHttp http, SimDevice r, String handle, long[] bytes) throws IOException {
        String path = "/v1/directory/" + URLEncoder.encode(handle, StandardCharsets.UTF_8).replace("+", "%20");
        RawHttp.Response res = exchange(http, RawHttp.head("GET", path, r.authorization(), false), null, bytes);
        return res.status() == 200 ? Json.lenient().readTree(res.body()).path("route").asText().equals("parley") : null;
    }

    private Boolean privateLookup(RawHttp http, SimDevice r, String handle, SecureRandom random, long[] bytes)
            throws IOException {
        byte[] input = handle.getBytes(StandardCharsets.UTF_8);
        Oprf.Blinded blinded = oprf.blind(input, random);
        byte[] body = Json.lenient().writeValueAsBytes(new OprfEvaluateRequest(null,
                List.of(Base64.getEncoder().encodeToString(blinded.blindedElement()))));
        RawHttp.Response evaluated = exchange(http, RawHttp.head("POST", "/v1/private-lookup/evaluate",
                r.authorization(), true), body, bytes);
        if (evaluated.status() != 200) {
            return null;
        }
        JsonNode e = Json.lenient().readTree(evaluated.body());
        byte[] output = oprf.finalizeOutput(input, blinded,
                Base64.getDecoder().decode(e.get("evaluatedElements").get(0).asText()));
        int bits = e.get("prefixBits").asInt();
        int prefix = PrivateLookupKeys.bucketOf(PrivateLookupKeys.bucketHash(output), bits);
        RawHttp.Response bucket = exchange(http, RawHttp.head("GET", "/v1/private-lookup/buckets/"
                + e.get("keyId").asText() + "/" + bits + "/" + prefix, r.authorization(), false), null, bytes);
        if (bucket.status() != 200) {
            return null;
        }
        byte[] tag = PrivateLookupKeys.tag(output);
        for (JsonNode entry : Json.lenient().readTree(bucket.body()).get("entries")) {
            if (PrivateLookupKeys.sameTag(tag, Base64.getDecoder().decode(entry.get("tag").asText()))) {
                PrivateLookupKeys.open(output, Base64.getDecoder().decode(entry.get("pointer").asText()));
                return true;
            }
        }
        return false;
    }

    private static RawHttp.Response exchange(RawHttp http, byte[] head, byte[] body, long[] bytes) throws IOException {
        RawHttp.Response res = http.exchange(head, body);
        // Host and Content-Length lines RawHttp adds: about 40 bytes.
        bytes[0] += head.length + 40 + (body == null ? 0 : body.length);
        bytes[1] += res.body().length;
        return res;
    }
}
