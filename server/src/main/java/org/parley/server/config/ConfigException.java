// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

/** Bad configuration. Start-up stops with this message; nothing is corrected silently. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
