// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Tuning for a {@link ParleyClient}. {@code httpClient} may be null, in which case the client builds its
 * own; a tool driving many clients can share one.
 */
public record ClientOptions(Clock clock, Duration connectTimeout, Duration requestTimeout, HttpClient httpClient) {
    public ClientOptions {
        if (clock == null || connectTimeout == null || requestTimeout == null) {
            throw new IllegalArgumentException("clock and timeouts are required");
        }
    }

    public static ClientOptions defaults() {
        return new ClientOptions(Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(30), null);
    }

    public ClientOptions withHttpClient(HttpClient client) {
        return new ClientOptions(clock, connectTimeout, requestTimeout, client);
    }

    public ClientOptions withClock(Clock newClock) {
        return new ClientOptions(newClock, connectTimeout, requestTimeout, httpClient);
    }
}
