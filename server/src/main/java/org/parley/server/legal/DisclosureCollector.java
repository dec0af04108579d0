// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.server.accounts.SubscriberRecords;
import org.parley.server.accounts.SubscriberRecords.Subscriber;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLog.LoggedLookup;

/**
 * Reads exactly the records a {@link Scope} covers, from the live stores: what the purge has
 * deleted is gone, and nothing outside the handles, the days or the categories is ever read.
 *
 * <p>Lookups BY a target include its private lookups' bucket fetches (the lookup log reads both
 * kinds). Lookups OF a target are plain lookups only: a private lookup never names the handle, so
 * no record of a private lookup of the target exists to disclose ({@link CoverStatement} says so).
 */
final class DisclosureCollector {
    private final SubscriberRecords subscribers;
    private final LookupLog lookupLog;

    DisclosureCollector(SubscriberRecords subscribers, LookupLog lookupLog) {
        this.subscribers = subscribers;
        this.lookupLog = lookupLog;
    }

    Disclosure collect(Scope scope) {
        List<Subscriber> subscriberRecords = new ArrayList<>();
        List<LoggedLookup> by = new ArrayList<>();
        List<LoggedLookup> of = new ArrayList<>();
        Set<String> accounts = new LinkedHashSet<>();
        Set<LegalCategory> asked = scope.categories();
        for (String handle : scope.handles()) {
            Optional<Subscriber> subscriber = subscribers.subscriber(handle);
            subscriber.ifPresent(s -> accounts.add(s.accountId()));
            if (asked.contains(LegalCategory.SUBSCRIBER)) {
                subscriber.ifPresent(subscriberRecords::add);
            }
            // Not gated on a subscriber record: the lookup log also finds the entries a hold kept of a
            // deleted account by its former handle.
            if (asked.contains(LegalCategory.LOOKUP_LOG_BY_TARGET)) {
                by.addAll(all(scope, null, handle));
            }
            if (asked.contains(LegalCategory.LOOKUP_LOG_OF_TARGET)) {
                of.addAll(all(scope, handle, null));
            }
        }
        return new Disclosure(asked, subscriberRecords, dedupe(by), dedupe(of), List.copyOf(accounts));
    }

    /** Every matching entry, page by page (a page ends at a time, so the next starts there and skips seen ids). */
    private List<LoggedLookup> all(Scope scope, String queried, String requester) {
        List<LoggedLookup> out = new ArrayList<>();
        // Keyed by kind and id: plain lookups and private lookups' bucket fetches number their ids apart.
        Set<String> seen = new HashSet<>();
        Instant since = Instant.ofEpochMilli(scope.sinceMs());
        Instant until = Instant.ofEpochMilli(scope.untilMs());
        while (true) {
            List<LoggedLookup> page = lookupLog.query(new LookupLog.Query(queried, requester, since, until, LookupLog.MAX_LIMIT));
            int added = 0;
            for (LoggedLookup e : page) {
                if (seen.add(e.key())) {
                    out.add(e);
                    added++;
                }
            }
            if (page.size() < LookupLog.MAX_LIMIT) {
                return out;
            }
            if (added == 0) {
                throw new IllegalStateException("more than " + LookupLog.MAX_LIMIT
                        + " lookup-log entries share one millisecond; cannot page through them");
            }
            since = Instant.ofEpochMilli(page.getLast().timeMs());
        }
    }

    /** Two target handles of one request can see the same entry; it is disclosed once. */
    private static List<LoggedLookup> dedupe(List<LoggedLookup> entries) {
        Set<String> keys = new HashSet<>();
        List<LoggedLookup> out = new ArrayList<>();
        for (LoggedLookup e : entries) {
            if (keys.add(e.key())) {
                out.add(e);
            }
        }
        out.sort(LookupLog.ORDER);
        return out;
    }
}
