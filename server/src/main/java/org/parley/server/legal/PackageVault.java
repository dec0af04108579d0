// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Produced packages on disk, {@code <data-dir>/legal-packages/request-<id>.zip}, readable by the
 * server's user only. They are kept so that the exact signed bytes can be downloaded again; an
 * operator deletes them by hand once the authority has confirmed receipt (docs/legal.md).
 */
final class PackageVault {
    private final Path dir;

    PackageVault(Path dataDir) {
        this.dir = dataDir.resolve("legal-packages");
    }

    void store(long requestId, byte[] zip) {
        try {
            if (!Files.exists(dir)) {
                if (Files.getFileStore(dir.getParent()).supportsFileAttributeView("posix")) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path target = file(requestId);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.write(tmp, zip);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the disclosure package for request " + requestId, e);
        }
    }

    Optional<byte[]> load(long requestId) {
        try {
            return Optional.of(Files.readAllBytes(file(requestId)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the disclosure package for request " + requestId, e);
        }
    }

    private Path file(long requestId) {
        return dir.resolve("request-" + requestId + ".zip");
    }
}
