// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

/** A benchmark that cannot run (bad set-up, server refusing set-up calls); the message says why and what to do. */
final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
