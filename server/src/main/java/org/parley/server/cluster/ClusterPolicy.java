// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import java.util.List;
import java.util.Map;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;

/**
 * What Redis sees when several nodes share it (docs/privacy.md, "What Redis sees"), so the
 * published policy names it too. On a single node there is no Redis and the category says so.
 * Never the URIs: they may carry a password.
 */
final class ClusterPolicy implements PolicyContributor {
    private static final String NAME = "redis-signals";
    private static final String DESCRIPTION = "What the Redis that connects several server nodes sees: which devices are"
            + " connected right now, that a message was queued for a device (never its sender or content), and keyed"
            + " hashes for the daily lookup quota, the key-fetch limit and the sealed-send limits.";

    private final ServerConfig.Redis redis;

    ClusterPolicy(ServerConfig.Redis redis) {
        this.redis = redis;
    }

    @Override
    public List<DataCategory> categories() {
        if (!redis.enabled()) {
            return List.of(DataCategory.notRecorded(NAME, DESCRIPTION,
                    "This server runs as a single node without Redis (redis.uris is empty)."));
        }
        return List.of(DataCategory.of(NAME, DESCRIPTION,
                List.of(new DataField("delivery channel", "one pub/sub channel per connected device, named by its"
                                + " random account id and device id"),
                        new DataField("signals", "'stored', 'connected', 'replaced': passed on between nodes and forgotten,"
                                + " never stored"),
                        new DataField("lookup quota", "per account and UTC day, 8-byte HMAC-SHA256 hashes of looked-up handles"
                                + " under an HMAC of the account id; the key (redis.key-secret) is known to the nodes only"),
                        new DataField("key-fetch limit", "per (requesting device, target account) pair, under an HMAC of"
                                + " the pair, the times of its prekey fetches in the last 10 minutes"),
                        new DataField("sealed-send limits", "per recipient account and per client IP address, under an"
                                + " HMAC of the account id or address, a count of sealed sends in the current minute")),
                "channels while the device is connected; quota hashes two days after their last change; key-fetch"
                        + " times 10 minutes after the pair's last fetch; sealed-send counts about a minute after"
                        + " their minute began",
                List.of("whoever operates the Redis server: which account ids are connected and when messages reach"
                        + " them, never handles, senders or content"),
                "Redis is not needed to recover any message; run it without persistence."));
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("redis.uris", redis.enabled() ? redis.uris().size() + " set (not published)" : "[]",
                "redis.mode", redis.cluster() ? "cluster" : "standalone");
    }
}
