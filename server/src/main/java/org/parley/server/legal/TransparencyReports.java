// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.TransparencyCounts;
import org.parley.protocol.TransparencyReport;

/**
 * Counts legal requests by type and outcome for a half-year, by received date. With
 * {@code legal.report-band: N} each count is published as the lower bound of its band of width N.
 */
final class TransparencyReports {
    private final LegalRegister register;
    private final int band;

    TransparencyReports(LegalRegister register, int band) {
        this.register = register;
        this.band = band;
    }

    TransparencyReport report(ReportPeriod period) {
        List<LegalRequest> inPeriod = register.all().stream().filter(r -> period.contains(r.received())).toList();
        List<TransparencyCounts> types = new ArrayList<>();
        for (RequestType type : RequestType.values()) {
            long received = 0;
            long rejected = 0;
            long withData = 0;
            long withoutData = 0;
            long accounts = 0;
            for (LegalRequest r : inPeriod) {
                if (r.type() != type) {
                    continue;
                }
                received++;
                accounts += r.scope().handles().size();
                if (r.status() == RequestStatus.REJECTED) {
                    rejected++;
                } else if (r.outcome() == Outcome.PRODUCED_WITH_DATA) {
                    withData++;
                } else if (r.outcome() == Outcome.PRODUCED_WITHOUT_DATA) {
                    withoutData++;
                }
            }
            types.add(new TransparencyCounts(type.wire(), shown(received), shown(rejected), shown(withData),
                    shown(withoutData), shown(accounts)));
        }
        return new TransparencyReport(period.name(), period.from().toString(), period.until().minusDays(1).toString(),
                band, types);
    }

    /** The exact count, or the lower bound of its band: 0 for 0-249, 250 for 250-499, ... */
    long shown(long n) {
        return band == 0 ? n : n / band * band;
    }
}
