// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import io.nayuki.qrcodegen.QrCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A QR code as terminal text, two modules per character with Unicode half blocks. Light modules are
 * drawn (as {@code qrencode -t UTF8} does), so the code scans on the usual dark terminal; a quiet zone
 * of two modules surrounds it.
 */
final class TerminalQr {
    private static final int QUIET = 2;

    private TerminalQr() {}

    static List<String> lines(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * QUIET;
        List<String> lines = new ArrayList<>();
        for (int y = 0; y < size; y += 2) {
            StringBuilder line = new StringBuilder(size);
            for (int x = 0; x < size; x++) {
                boolean top = light(qr, x - QUIET, y - QUIET);
                boolean bottom = y + 1 >= size || light(qr, x - QUIET, y + 1 - QUIET);
                line.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Outside the symbol is the quiet zone, which is light. */
    private static boolean light(QrCode qr, int x, int y) {
        return x < 0 || y < 0 || x >= qr.size || y >= qr.size || !qr.getModule(x, y);
    }
}
