// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file operation failed, in words. The JDK's {@link FileSystemException}s carry only the path as
 * their message, so "cannot read X: " + e.getMessage() printed the path twice and no reason.
 */
final class IoErrors {
    private IoErrors() {}

    /** The reason {@code e} gives for {@code path}, to follow "cannot read PATH: ". */
    static String reason(Path path, IOException e) {
        Path parent = path.toAbsolutePath().getParent();
        return switch (e) {
            case NoSuchFileException n when parent != null && !Files.isDirectory(parent) ->
                    "the directory " + parent + " does not exist";
            case NoSuchFileException n -> "it does not exist";
            case AccessDeniedException a -> "permission denied";
            case FileAlreadyExistsException x -> "it already exists";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            case FileSystemException f when Files.isDirectory(path) -> "it is a directory";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
