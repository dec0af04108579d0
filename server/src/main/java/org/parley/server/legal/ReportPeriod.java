// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.server.errors.InvalidRequest;

/** A half-year such as {@code 2026-H2}: [from, until) in UTC days. */
record ReportPeriod(String name, LocalDate from, LocalDate until) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{4})-H([12])");

    static ReportPeriod parse(String text) {
        if (text == null) {
            throw new InvalidRequest("period is required, e.g. ?period=2026-H2");
        }
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidRequest("period must be a year and half such as 2026-H1 or 2026-H2");
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 2000) {
            throw new InvalidRequest("period must be 2000-H1 or later");
        }
        LocalDate from = LocalDate.of(year, m.group(2).equals("1") ? 1 : 7, 1);
        return new ReportPeriod(m.group(), from, from.plusMonths(6));
    }

    boolean contains(LocalDate day) {
        return !day.isBefore(from) && day.isBefore(until);
    }
}
