// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.parley.server.config.ConfigException;

/** The server's data directory ({@code server.data-dir}) on disk. */
public final class DataDirectory {
    private DataDirectory() {}

    /**
     * Creates {@code dataDir} readable by its owner only (0700) if it does not exist, and returns
     * its real path.
     *
     * @throws ConfigException when it cannot be created or is not a writable directory
     */
    public static Path create(Path dataDir) {
        try {
            if (!Files.exists(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
                throw new ConfigException("server.data-dir " + dataDir + " is not a writable directory");
            }
            return dataDir.toRealPath();
        } catch (IOException e) {
            throw new ConfigException("cannot create server.data-dir " + dataDir + ": " + e.getMessage(), e);
        }
    }
}
