// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Which server to try next, and when. A failure moves on to the next URL of the list (wrapping around);
 * every URL is tried once at once, because another node is likely up when one dies, and only when
 * all of them failed since the last success does each further attempt wait a {@link Backoff} delay.
 * A success keeps the server that worked and starts the count again.
 *
 * <p>Not thread-safe: one receive loop owns one instance.
 */
public final class ServerFailover {
    private final List<URI> servers;
    private final Backoff backoff;
    private int index;
    private int failuresSinceSuccess;

    public ServerFailover(List<URI> servers, Backoff backoff) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server URL is needed");
        }
        this.servers = List.copyOf(servers);
        this.backoff = backoff;
    }

    /** The server to try now. */
    public URI current() {
        return servers.get(index);
    }

    /** The current server failed: moves on to the next one and returns how long to wait before trying it. */
    public Duration failed() {
        failuresSinceSuccess++;
        index = (index + 1) % servers.size();
        return failuresSinceSuccess < servers.size()
                ? Duration.ZERO
                : backoff.delay(failuresSinceSuccess - servers.size() + 1);
    }

    /** The current server delivered: stay with it, and let the next failure start a fresh round. */
    public void succeeded() {
        failuresSinceSuccess = 0;
    }
}
