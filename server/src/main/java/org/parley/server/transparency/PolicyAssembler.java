// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Puts the contributions of every feature together into one {@link PolicyDocument}. */
final class PolicyAssembler {
    static final UserNoticeStatement NO_REGISTER = new UserNoticeStatement("none", "",
            "This server has no legal request register, so it keeps no record of disclosures of user data and has"
                    + " none to notify anyone about.");
    static final String SUBJECT_ACCESS = "A registered device can fetch everything held about its account with"
            + " GET /v1/me/data (the parley account export command): account id and handles, devices with their"
            + " creation and last-seen days, one-time prekey counts, the lookups the account made that are still"
            + " within the lookup-log retention (as stored under the current mode), the number of queued"
            + " envelopes, and disclosures about the account whose non-disclosure period has ended. Lookups of"
            + " the account's handles by others are not shown.";

    private final List<PolicyContributor> contributors;
    private final Clock clock;

    public PolicyAssembler(List<PolicyContributor> contributors, Clock clock) {
        this.contributors = List.copyOf(contributors);
        this.clock = clock;
    }

    public PolicyDocument assemble() {
        SortedMap<String, String> settings = new TreeMap<>();
        List<DataCategory> categories = new ArrayList<>();
        List<UserNoticeStatement> notices = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (PolicyContributor c : contributors) {
            settings.putAll(c.settings());
            for (DataCategory category : c.categories()) {
                if (!names.add(category.name())) {
                    // Two features claiming one name would make the policy ambiguous: a wiring bug.
                    throw new IllegalStateException("two policy contributors describe '" + category.name() + "'");
                }
                categories.add(category);
            }
            notices.addAll(c.userNotices());
        }
        for (PolicyContributor c : contributors) {
            for (var extra : c.extraReaders().entrySet()) {
                int at = indexOf(categories, extra.getKey());
                if (at < 0) {
                    throw new IllegalStateException("a policy contributor adds readers to '" + extra.getKey()
                            + "', which no contributor describes");
                }
                DataCategory old = categories.get(at);
                List<String> readers = new ArrayList<>(old.readers());
                readers.addAll(extra.getValue());
                categories.set(at, new DataCategory(old.name(), old.description(), old.recorded(), old.fields(),
                        old.retention(), readers, old.notes()));
            }
        }
        if (notices.isEmpty()) {
            notices.add(NO_REGISTER);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new PolicyDocument(PolicyDocument.VERSION, now.toString(), settings, categories, notices, SUBJECT_ACCESS);
    }

    private static int indexOf(List<DataCategory> categories, String name) {
        for (int i = 0; i < categories.size(); i++) {
            if (categories.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
