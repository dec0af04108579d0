// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.subjectaccess;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.protocol.MyData;
import org.parley.protocol.PreKeyCounts;
import org.parley.server.accounts.AccountRecords;
import org.parley.server.config.ServerConfig;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.subjectaccess.SubjectAccessFeature.AccessKeyStatuses;
import org.parley.server.subjectaccess.SubjectAccessFeature.PreKeyCounter;
import org.parley.server.subjectaccess.SubjectAccessFeature.QueueCounter;
import org.parley.server.transparency.DisclosureNotice;
import org.parley.server.transparency.DisclosureNotices;
import org.parley.server.transparency.Retention;
import org.parley.server.errors.NotFound;

/**
 * Assembles {@link MyData}: everything held about one account, read from each feature. Lookups are
 * those the account made, plain and private (never lookups of its handles by others), newer than the
 * lookup-log retention, as stored.
 */
final class SubjectAccess {
    /** The most lookups one export carries; beyond it {@code lookupsComplete} is false. */
    static final int MAX_LOOKUPS = LookupLog.MAX_LIMIT;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final AccountRecords accounts;
    private final PreKeyCounter preKeys;
    private final QueueCounter queues;
    private final LookupLog lookupLog;
    private final DisclosureNotices disclosures;
    private final AccessKeyStatuses sealedSender;
    private final ServerConfig.LookupLog lookupLogConfig;
    private final Clock clock;

    SubjectAccess(AccountRecords accounts, PreKeyCounter preKeys, QueueCounter queues, LookupLog lookupLog,
                  DisclosureNotices disclosures, AccessKeyStatuses sealedSender, ServerConfig.LookupLog lookupLogConfig,
                  Clock clock) {
        this.accounts = accounts;
        this.preKeys = preKeys;
        this.queues = queues;
        this.lookupLog = lookupLog;
        this.disclosures = disclosures;
        this.sealedSender = sealedSender;
        this.lookupLogConfig = lookupLogConfig;
        this.clock = clock;
    }

    MyData export(String accountId) {
        Instant now = clock.instant();
        AccountRecords.AccountRecord account = accounts.record(accountId)
                // Authenticated a moment ago: only a concurrent re-registration can get here.
                .orElseThrow(() -> new NotFound("the account no longer exists"));
        Map<Integer, Long> queued = queues.countByDevice(accountId);
        List<MyData.Device> devices = new ArrayList<>();
        long totalQueued = 0;
        for (AccountRecords.DeviceDates d : account.devices()) {
            PreKeyCounts counts = preKeys.counts(accountId, d.deviceId());
            long q = queued.getOrDefault(d.deviceId(), 0L);
            totalQueued += q;
            devices.add(new MyData.Device(d.deviceId(), day(d.createdAtMs()), LocalDate.ofEpochDay(d.lastSeenDay()).toString(),
                    counts.preKeys(), counts.pqPreKeys(), q));
        }
        Instant since = now.minus(lookupLogConfig.retention());
        List<LookupLog.LoggedLookup> made = lookupLog.madeBy(accountId, since, MAX_LOOKUPS + 1);
        boolean complete = made.size() <= MAX_LOOKUPS;
        List<MyData.Lookup> lookups = new ArrayList<>();
        List<MyData.PrivateLookup> privateLookups = new ArrayList<>();
        for (LookupLog.LoggedLookup l : complete ? made : made.subList(0, MAX_LOOKUPS)) {
            String time = TIME.format(Instant.ofEpochMilli(l.timeMs()));
            LookupLog.Bucket b = l.bucket();
            if (b == null) {
                lookups.add(new MyData.Lookup(time, l.requesterDeviceId(), l.queriedHandle(), l.route(), l.clientIp()));
            } else {
                privateLookups.add(new MyData.PrivateLookup(time, l.requesterDeviceId(), b.keyId(), b.prefixBits(),
                        b.prefix(), l.clientIp()));
            }
        }
        List<MyData.Disclosure> shown = new ArrayList<>();
        for (DisclosureNotice n : disclosures.visibleTo(accountId, now)) {
            shown.add(new MyData.Disclosure(n.type(), n.date().toString(), n.categories()));
        }
        return new MyData(now.truncatedTo(ChronoUnit.SECONDS).toString(), accountId, day(account.createdAtMs()),
                account.handles(), devices, totalQueued,
                new MyData.LookupLog(lookupLogConfig.mode().wire(), Retention.iso(lookupLogConfig.retention())),
                lookups, complete, shown, privateLookups, sealedSender.status(accountId));
    }

    private static String day(long epochMs) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC).toString();
    }
}
