// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.parley.server.directory.LookupQuota;

/**
 * {@link LookupQuota} shared by every node: per account and UTC day a Redis set of 8-byte keyed
 * hashes of the handles looked up, checked and extended by one Lua script so that concurrent
 * lookups on several nodes cannot both squeeze under the limit. Keys and members are HMAC-SHA256
 * under {@code redis.key-secret}: Redis never sees a handle or an account id.
 *
 * <p>When Redis does not answer, the node's own in-memory quota decides: lookups keep working and
 * stay limited, per node, until Redis is back.
 */
final class RedisLookupQuota implements LookupQuota {
    /** Long enough to outlive the day it counts, short enough to clean up after itself. */
    private static final long TTL_SECONDS = 2 * 86_400;
    private static final String SCRIPT = """
            local fresh = 0
            for i = 3, #ARGV do
              if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 0 then fresh = fresh + 1 end
            end
            if fresh == 0 then return 1 end
            if redis.call('SCARD', KEYS[1]) + fresh > tonumber(ARGV[1]) then return 0 end
            for i = 3, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
            redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
            return 1
            """;
    private static final System.Logger LOG = System.getLogger(RedisLookupQuota.class.getName());

    private final RedisLink link;
    private final int maxPerDay;
    private final KeyedNames names;
    private final LookupQuota fallback;
    private final java.util.function.BooleanSupplier redisUp;

    RedisLookupQuota(RedisLink link, java.util.function.BooleanSupplier redisUp, int maxPerDay, String secret,
                     LookupQuota fallback) {
        this.link = link;
        this.redisUp = redisUp;
        this.maxPerDay = maxPerDay;
        this.names = new KeyedNames(secret);
        this.fallback = fallback;
    }

    @Override
    public boolean tryAcquire(String accountId, Collection<String> handles, Instant now) {
        var commands = link.commands();
        if (commands == null || !redisUp.getAsBoolean()) {
            // Known down: answer at once from this node's count rather than wait for a timeout.
            return fallback.tryAcquire(accountId, handles, now);
        }
        long day = LocalDate.ofInstant(now, ZoneOffset.UTC).toEpochDay();
        String redisKey = "parley:lq:" + day + ":" + names.of("account:" + accountId, 16);
        Set<String> members = new LinkedHashSet<>();
        for (String handle : handles) {
            members.add(names.of("handle:" + handle, 8));
        }
        List<String> args = new ArrayList<>(members.size() + 2);
        args.add(Integer.toString(maxPerDay));
        args.add(Long.toString(TTL_SECONDS));
        args.addAll(members);
        try {
            Long admitted = commands.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] {redisKey},
                    args.toArray(String[]::new)).get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return admitted != null && admitted == 1L;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.WARNING, "shared lookup quota unavailable, using this node's count: "
                    + e.getClass().getSimpleName());
            return fallback.tryAcquire(accountId, handles, now);
        }
    }
}
