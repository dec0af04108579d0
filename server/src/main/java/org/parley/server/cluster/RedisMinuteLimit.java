// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.parley.server.sealedsender.MinuteLimit;

/**
 * {@link MinuteLimit} shared by every node: per key and UTC minute one Redis counter, checked and
 * incremented by one Lua script so that sends on several nodes cannot both squeeze under the limit.
 * A refused event is not counted, as in the node's own {@code MinuteWindows}. The Redis key is an
 * HMAC-SHA256 under {@code redis.key-secret} of the limit's name and key: Redis never sees an
 * account id or an IP address. Counters expire shortly after their minute.
 *
 * <p>When Redis does not answer, the node's own in-memory limit decides (as for the lookup quota).
 */
final class RedisMinuteLimit implements MinuteLimit {
    private static final long MINUTE_MS = 60_000;
    /** A counter outlives its minute by this much: node clocks may differ by a few seconds. */
    private static final long EXPIRY_MS = MINUTE_MS + 10_000;
    /** Returns the count after these events, or -1 when they do not fit the minute's budget (nothing counted). */
    private static final String SCRIPT = """
            local count = tonumber(redis.call('GET', KEYS[1]) or '0')
            local events = tonumber(ARGV[3])
            if count + events > tonumber(ARGV[1]) then return -1 end
            count = redis.call('INCRBY', KEYS[1], events)
            if count == events then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
            return count
            """;
    private static final System.Logger LOG = System.getLogger(RedisMinuteLimit.class.getName());

    private final RedisLink link;
    private final BooleanSupplier redisUp;
    private final String name;
    private final int max;
    private final KeyedNames names;
    private final MinuteLimit fallback;

    RedisMinuteLimit(RedisLink link, BooleanSupplier redisUp, String secret, String name, int max, MinuteLimit fallback) {
        this.link = link;
        this.redisUp = redisUp;
        this.name = name;
        this.max = max;
        this.names = new KeyedNames(secret);
        this.fallback = fallback;
    }

    @Override
    public Optional<Duration> tryAcquire(String limitedKey, Instant now, int events) {
        var commands = link.commands();
        if (commands == null || !redisUp.getAsBoolean()) {
            // Known down: answer at once from this node's count rather than wait for a timeout.
            return fallback.tryAcquire(limitedKey, now, events);
        }
        long minute = Math.floorDiv(now.toEpochMilli(), MINUTE_MS);
        String redisKey = "parley:mw:" + names.of(name + ":" + limitedKey, 16) + ":" + minute;
        try {
            Long count = commands.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {redisKey},
                            Integer.toString(max), Long.toString(EXPIRY_MS), Integer.toString(events))
                    .get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (count != null && count >= 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((minute + 1) * MINUTE_MS - now.toEpochMilli()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The limit's name only: never the key, which is an account id or an address.
            LOG.log(System.Logger.Level.WARNING, "shared sealed-send limit (" + name + ") unavailable, using this"
                    + " node's count: " + e.getClass().getSimpleName());
            return fallback.tryAcquire(limitedKey, now, events);
        }
    }

}
