// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every file under a data directory as raw bytes, as someone with a copy of the disk would
 * ({@code strings parley.db | grep HANDLE}): for tests that deleted data is gone from the files, not
 * only from query results.
 */
public final class DataFiles {
    private DataFiles() {}

    /** The files under {@code dir} (recursively) whose bytes contain {@code text} in UTF-8. */
    public static List<Path> containing(Path dir, String text) {
        return containing(dir, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The files under {@code dir} (recursively) whose bytes contain {@code needle}. */
    public static List<Path> containing(Path dir, byte[] needle) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> contains(read(f), needle)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return needle.length == 0;
    }

    /** {@code bytes[from, from + length)}, to look for a window of a larger value. */
    public static byte[] window(byte[] bytes, int from, int length) {
        return Arrays.copyOfRange(bytes, from, from + length);
    }
}
