// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the home directory and the state file so that only the owner can read them. Permissions are
 * set before any secret is written: the file is created empty with 0600 and only then opened by SQLite,
 * which gives its journal files the same mode as the database.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    static void ensureDirectory(Path dir) throws IOException {
        if (!posix()) {
            Files.createDirectories(dir);
            return;
        }
        if (Files.notExists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        }
        // createDirectories honours the umask, and an existing directory may be too open: tighten it.
        Files.setPosixFilePermissions(dir, DIRECTORY);
    }

    static void ensureFile(Path file) throws IOException {
        if (!posix()) {
            if (Files.notExists(file)) {
                Files.createFile(file);
            }
            return;
        }
        if (Files.notExists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        }
        Files.setPosixFilePermissions(file, FILE);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
