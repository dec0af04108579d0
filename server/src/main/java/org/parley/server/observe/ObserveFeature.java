// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.observe;

import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.parley.server.feature.Feature;
import org.parley.server.http.HeadRequests;
import org.parley.server.http.HttpJson;

/**
 * Liveness, readiness and Prometheus metrics. Metrics are named by endpoint family and status,
 * never by path, so no account id, handle or IP can reach a time series.
 */
public final class ObserveFeature implements Feature {
    private final PrometheusMeterRegistry registry;
    private final Map<String, BooleanSupplier> readinessChecks;
    private final Map<String, BooleanSupplier> degradingChecks;

    private ObserveFeature(PrometheusMeterRegistry registry, Map<String, BooleanSupplier> readinessChecks,
                           Map<String, BooleanSupplier> degradingChecks) {
        this.registry = registry;
        this.readinessChecks = readinessChecks;
        this.degradingChecks = degradingChecks;
    }

    public static ObserveFeature create(PrometheusMeterRegistry registry, Map<String, BooleanSupplier> readinessChecks) {
        return create(registry, readinessChecks, Map.of());
    }

    /**
     * @param readinessChecks dependencies without which the node cannot serve: one down answers 503
     * @param degradingChecks dependencies the node can do without for a while (Redis): one down is
     *                        reported, with status {@code DEGRADED}, and the answer stays 200
     */
    public static ObserveFeature create(PrometheusMeterRegistry registry, Map<String, BooleanSupplier> readinessChecks,
                                        Map<String, BooleanSupplier> degradingChecks) {
        // Heap, threads and CPU are what an operator sizes a node by (and what the connections
        // benchmark reads), so they are exported beside the request metrics.
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return new ObserveFeature(registry, new LinkedHashMap<>(readinessChecks), new LinkedHashMap<>(degradingChecks));
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.addFilter(new RequestMetrics(registry));
        routing.get("/health/live", (req, res) -> HttpJson.ok(res, Map.of("status", "UP")));
        routing.get("/health/ready", (req, res) -> {
            Map<String, String> checks = new LinkedHashMap<>();
            boolean up = true;
            for (var check : readinessChecks.entrySet()) {
                boolean ok = check.getValue().getAsBoolean();
                checks.put(check.getKey(), ok ? "UP" : "DOWN");
                up &= ok;
            }
            boolean degraded = false;
            for (var check : degradingChecks.entrySet()) {
                boolean ok = check.getValue().getAsBoolean();
                checks.put(check.getKey(), ok ? "UP" : "DOWN");
                degraded |= !ok;
            }
            String status = !up ? "DOWN" : degraded ? "DEGRADED" : "UP";
            HttpJson.send(res, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                    Map.of("status", status, "checks", checks));
        });
        routing.get("/metrics", (req, res) -> {
            res.headers().contentType(HttpMediaType.create("text/plain; version=0.0.4; charset=utf-8"));
            HeadRequests.send(res, registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }
}
