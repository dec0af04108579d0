// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.Instant;
import java.util.List;
import org.parley.protocol.LegalHoldView;
import org.parley.protocol.LegalRequestView;
import org.parley.protocol.UserNotice;

/** Stored records to wire views. */
final class LegalViews {
    private LegalViews() {}

    static LegalRequestView view(LegalRequest r, List<Hold> holds, long nowMs) {
        return new LegalRequestView(r.id(), r.type().wire(), r.authority(), r.reference(), r.received().toString(),
                r.scope().handles(), r.scope().from().toString(), r.scope().until().toString(),
                r.scope().categories().stream().sorted().map(LegalCategory::wire).toList(),
                r.nonDisclosureUntil() == null ? null : r.nonDisclosureUntil().toString(), r.documentSha256(),
                r.status().wire(), r.reviewRequired(), r.registeredBy(), time(r.registeredAt()), r.decidedBy(),
                time(r.decidedAt()), r.reason(), r.outcome() == null ? null : r.outcome().wire(), r.producedBy(),
                time(r.producedAt()), r.packageSha256(), r.reviewedBy(), time(r.reviewedAt()), r.reviewNote(),
                holds.stream().map(h -> new LegalHoldView(h.handle(), time(h.placedAt()), time(h.expiresAt()),
                        h.extended(), time(h.releasedAt()), h.state(nowMs))).toList());
    }

    static UserNotice notice(LegalRegister.Notice n) {
        return new UserNotice(n.type().wire(), n.date().toString(), n.categories().stream().map(LegalCategory::wire).toList());
    }

    private static String time(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }
}
