// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

/** Progress lines on standard error, so that standard output holds only the report. */
final class Progress {
    private static final long START = System.nanoTime();

    private Progress() {}

    static void log(String message) {
        System.err.printf("bench [%6.1fs] %s%n", (System.nanoTime() - START) / 1e9, message);
    }

    /** Runs {@code step}, logging how long it took. */
    static <T> T timed(String what, java.util.function.Supplier<T> step) {
        long t0 = System.nanoTime();
        log(what + "...");
        T result = step.get();
        log(what + " took " + String.format("%.1f s", (System.nanoTime() - t0) / 1e9));
        return result;
    }
}
