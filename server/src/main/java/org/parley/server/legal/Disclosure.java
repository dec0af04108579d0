// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.List;
import java.util.Set;
import org.parley.server.accounts.SubscriberRecords.Subscriber;
import org.parley.server.lookuplog.LookupLog.LoggedLookup;

/**
 * The records in a request's scope, per category, as read at production time. A category that
 * was not asked for is empty; {@code accountIds} are the accounts the target handles belong to.
 */
record Disclosure(Set<LegalCategory> categories, List<Subscriber> subscribers, List<LoggedLookup> lookupsByTarget,
                  List<LoggedLookup> lookupsOfTarget, List<String> accountIds) {
    Disclosure {
        categories = Set.copyOf(categories);
        subscribers = List.copyOf(subscribers);
        lookupsByTarget = List.copyOf(lookupsByTarget);
        lookupsOfTarget = List.copyOf(lookupsOfTarget);
        accountIds = List.copyOf(accountIds);
    }

    int count(LegalCategory category) {
        return switch (category) {
            case SUBSCRIBER -> subscribers.size();
            case LOOKUP_LOG_BY_TARGET -> lookupsByTarget.size();
            case LOOKUP_LOG_OF_TARGET -> lookupsOfTarget.size();
        };
    }

    boolean hasData() {
        return !subscribers.isEmpty() || !lookupsByTarget.isEmpty() || !lookupsOfTarget.isEmpty();
    }
}
