// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.time.Duration;

/** Writes a retention period as an operator writes it: P30D rather than Duration's PT720H. */
public final class Retention {
    private Retention() {}

    public static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
