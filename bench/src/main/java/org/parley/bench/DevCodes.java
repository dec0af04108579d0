// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads verification codes that the server's development sender writes to
 * {@code <data>/dev-codes/<handle>} (see docs/protocol.md). The server writes the file before it answers
 * the session request, so a short poll only covers slow file systems.
 */
final class DevCodes {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Path directory;

    DevCodes(Path dataDir) {
        this.directory = dataDir.resolve("dev-codes");
    }

    String await(String handle) {
        Path file = directory.resolve(handle.replace("%", "%25").replace("/", "%2F"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                String code = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!code.isEmpty()) {
                    return code;
                }
            } catch (NoSuchFileException e) {
                // not written yet
            } catch (IOException e) {
                throw new BenchException("cannot read the development verification code in " + file + ": " + e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException("no development verification code appeared in " + file + " within "
                        + WAIT.toSeconds() + " s; pass the server's data directory with --data, and make sure the"
                        + " server uses the development sender (it does when it listens on loopback)");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while waiting for a verification code");
            }
        }
    }
}
