// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.LookupResult;
import org.parley.protocol.Route;
import org.parley.server.accounts.Accounts;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.Forbidden;
import org.parley.server.config.LookupMode;

/**
 * The capability lookup: quota first, then the answer for each handle, then one lookup-log entry
 * per distinct handle, handed to the log before the answer leaves (committed within the log's
 * bounded delay, see {@link LookupLog#record}). A refused request is neither answered nor logged.
 */
final class Directory {
    private final Accounts accounts;
    private final LookupLog log;
    private final LookupQuota quota;
    private final Clock clock;
    private final LookupMode mode;
    private final Map<Route, Counter> lookups = new EnumMap<>(Route.class);
    private final Counter refused;

    Directory(Accounts accounts, LookupLog log, LookupQuota quota, Clock clock, MeterRegistry meters, LookupMode mode) {
        this.mode = mode;
        this.accounts = accounts;
        this.log = log;
        this.quota = quota;
        this.clock = clock;
        for (Route route : Route.values()) {
            lookups.put(route, Counter.builder("parley.directory.lookups").tag("route", route.wire())
                    .description("Handles looked up, by the route answered").register(meters));
        }
        this.refused = Counter.builder("parley.directory.refused")
                .description("Lookup requests refused by the daily quota").register(meters);
    }

    /**
     * Answers {@code handles} (normalised) in request order for {@code requester}.
     *
     * @throws RateLimited over quota, retry after the next UTC midnight
     * @throws Forbidden when {@code lookup.mode} is {@code private}
     */
    List<LookupResult> lookup(AuthenticatedDevice requester, List<String> handles, InetAddress client) {
        if (!mode.plainAllowed()) {
            // Checked before the quota: a refused request costs nothing and is not logged.
            throw new Forbidden("plain_lookup_disabled", "this server answers only private lookups (lookup.mode:"
                    + " private): use POST /v1/private-lookup/evaluate and GET /v1/private-lookup/buckets, or the"
                    + " CLI's --private");
        }
        Instant now = clock.instant();
        if (!quota.tryAcquire(requester.accountId(), handles, now)) {
            refused.increment();
            throw new RateLimited("this account has looked up its daily number of distinct handles;"
                    + " repeats of handles already looked up today stay free, new ones are accepted again after"
                    + " midnight UTC",
                    Duration.ofSeconds(secondsToNextUtcMidnight(now)));
        }
        Map<String, LookupResult> answers = new LinkedHashMap<>();
        for (String handle : handles) {
            answers.computeIfAbsent(handle, this::resolve);
        }
        List<LookupLog.Entry> entries = new ArrayList<>(answers.size());
        for (LookupResult r : answers.values()) {
            entries.add(new LookupLog.Entry(requester.accountId(), requester.deviceId(), r.handle(), r.route(), client));
            lookups.get(r.route()).increment();
        }
        log.record(entries);
        return handles.stream().map(answers::get).toList();
    }

    private LookupResult resolve(String handle) {
        Optional<String> accountId = accounts.accountIdOf(handle);
        if (accountId.isPresent()) {
            List<DeviceInfo> devices = accounts.devices(accountId.get()).stream()
                    .map(d -> new DeviceInfo(d.deviceId(), d.registrationId()))
                    .toList();
            if (!devices.isEmpty()) {
                return new LookupResult(handle, Route.PARLEY, accountId.get(), devices);
            }
        }
        return LookupResult.sms(handle);
    }

    static long secondsToNextUtcMidnight(Instant now) {
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Duration left = Duration.between(now, midnight);
        // Round up: a client that waits exactly Retry-After seconds must land in the new day.
        return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
    }
}
