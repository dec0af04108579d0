// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Percentiles of one histogram of microsecond values, reported in milliseconds. */
record Latency(long count, double p50, double p90, double p99, double max, double mean) {
    static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), Math.round(h.getMean()) / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50_ms", p50);
        m.put("p90_ms", p90);
        m.put("p99_ms", p99);
        m.put("max_ms", max);
        m.put("mean_ms", mean);
        return m;
    }
}
