// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.PrintWriter;
import java.util.List;

/** Left-aligned text tables: the first row is the header. */
final class Tables {
    private Tables() {}

    static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line);
        }
    }
}
