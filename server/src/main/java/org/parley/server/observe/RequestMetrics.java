// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.observe;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;

/**
 * Counts and times requests per endpoint family. The family is the first path segment after
 * {@code /v1}, and only from a fixed list: a path segment chosen by a client must never become a
 * label, or anyone could fill the metrics with handles.
 */
final class RequestMetrics implements Filter {
    private static final Set<String> FAMILIES = Set.of(
            "verification", "accounts", "keys", "directory", "messages", "websocket", "admin", "me");

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            Timer.builder("parley.http.requests")
                    .description("HTTP requests by endpoint family, method and status")
                    .tag("endpoint", family(req.path().path()))
                    .tag("method", req.prologue().method().text())
                    .tag("status", Integer.toString(res.status().code()))
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    static String family(String path) {
        if (!path.startsWith("/v1/")) {
            return path.startsWith("/health") ? "health" : path.equals("/metrics") ? "metrics" : "other";
        }
        int end = path.indexOf('/', 4);
        String segment = end < 0 ? path.substring(4) : path.substring(4, end);
        return FAMILIES.contains(segment) ? segment : "other";
    }
}
