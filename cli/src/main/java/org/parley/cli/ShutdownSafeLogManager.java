// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager without its reset at JVM shutdown. The JDK resets the manager from a
 * shutdown hook of its own, which closes and removes every handler, while the other hooks still run
 * concurrently. {@code parley server} stops from a shutdown hook (SIGTERM, Ctrl-C) and logs one last
 * line when it has stopped; that line raced the reset and was usually lost, so a stopped server
 * printed nothing. Skipping the reset loses nothing: the console handler flushes every record.
 *
 * <p>Installed by {@link Main} through the {@code java.util.logging.manager} system property, which
 * takes effect only before java.util.logging initialises.
 */
public final class ShutdownSafeLogManager extends LogManager {
    public ShutdownSafeLogManager() {
        super();
    }

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    /** True once the JVM has begun to shut down: from then on it refuses new shutdown hooks. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
