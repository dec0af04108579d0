// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.parley.server.keys.KeyFetchLimit;

/**
 * {@link KeyFetchLimit} shared by every node: per (requesting device, target account) a Redis sorted
 * set of fetch times, trimmed, counted and extended by one Lua script so that fetches on several
 * nodes cannot both squeeze under the limit. The key is an HMAC-SHA256 under
 * {@code redis.key-secret} of the pair: Redis never sees an account id.
 *
 * <p>When Redis does not answer, the node's own in-memory limit decides (as for the lookup quota).
 */
final class RedisKeyFetchLimit implements KeyFetchLimit {
    /** Returns 0 when admitted, otherwise the milliseconds until the oldest fetch leaves the window. */
    private static final String SCRIPT = """
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
              local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              return math.max(1, tonumber(oldest[2]) + window - now)
            end
            redis.call('ZADD', KEYS[1], now, ARGV[4])
            redis.call('PEXPIRE', KEYS[1], window)
            return 0
            """;
    private static final System.Logger LOG = System.getLogger(RedisKeyFetchLimit.class.getName());

    private final RedisLink link;
    private final BooleanSupplier redisUp;
    private final KeyedNames names;
    private final KeyFetchLimit fallback;

    RedisKeyFetchLimit(RedisLink link, BooleanSupplier redisUp, String secret, KeyFetchLimit fallback) {
        this.link = link;
        this.redisUp = redisUp;
        this.names = new KeyedNames(secret);
        this.fallback = fallback;
    }

    @Override
    public Optional<Duration> tryAcquire(String requesterAccountId, int requesterDeviceId, String targetAccountId,
                                         Instant now) {
        var commands = link.commands();
        if (commands == null || !redisUp.getAsBoolean()) {
            return fallback.tryAcquire(requesterAccountId, requesterDeviceId, targetAccountId, now);
        }
        String redisKey = "parley:kf:" + names.of(
                "pair:" + requesterAccountId + "/" + requesterDeviceId + ">" + targetAccountId, 16);
        try {
            Long wait = commands.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {redisKey},
                    Long.toString(now.toEpochMilli()), Long.toString(WINDOW.toMillis()), Integer.toString(MAX_FETCHES),
                    // A unique member: two fetches in the same millisecond are two fetches.
                    now.toEpochMilli() + ":" + UUID.randomUUID())
                    .get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return wait == null || wait == 0L ? Optional.empty() : Optional.of(Duration.ofMillis(wait));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.WARNING, "shared key-fetch limit unavailable, using this node's count: "
                    + e.getClass().getSimpleName());
            return fallback.tryAcquire(requesterAccountId, requesterDeviceId, targetAccountId, now);
        }
    }

}
