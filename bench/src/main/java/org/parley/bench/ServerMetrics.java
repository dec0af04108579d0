// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * Reads figures from the server's Prometheus {@code /metrics}: the server-side view of work the client
 * only sees its half of (e.g. acks actually deleted, not just written by the client).
 */
final class ServerMetrics {
    private final BenchTarget target;

    ServerMetrics(BenchTarget target) {
        this.target = target;
    }

    /** The sum of every sample whose line starts with {@code name} and passes {@code filter}; empty if none. */
    OptionalDouble sum(String name, Predicate<String> filter) {
        try {
            HttpResponse<String> response = target.http().send(HttpRequest.newBuilder(target.uri("/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            double sum = 0;
            boolean found = false;
            for (String line : response.body().split("\n")) {
                if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && filter.test(line)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    OptionalDouble value(String name) {
        return sum(name, line -> true);
    }
}
