// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Development sender: prints the code on the server console and writes it to
 * {@code <data-dir>/dev-codes/<handle>} (directory 0700, file 0600, overwritten each time), so a
 * developer or a test script can pick it up. Only ever chosen for a loopback-only server
 * ({@link VerificationSenders}); printing the handle here is the one sanctioned exception to the
 * rule that handles never reach the console.
 */
final class DevVerificationSender implements VerificationSender {
    private final Path directory;
    private final PrintStream console;

    DevVerificationSender(Path dataDir, PrintStream console) {
        this.directory = dataDir.resolve("dev-codes");
        this.console = console;
    }

    @Override
    public void send(String handle, String code) {
        console.println("[dev] verification code for " + handle + ": " + code);
        try {
            write(fileFor(handle), code);
        } catch (IOException e) {
            throw VerificationSenders.failed("the development sender could not write " + directory + ": " + e.getMessage());
        }
    }

    /** The file for {@code handle}; {@code %} and {@code /} are escaped so an email cannot leave the directory. */
    Path fileFor(String handle) {
        String name = handle.replace("%", "%25").replace("/", "%2F");
        return directory.resolve(name);
    }

    private void write(Path file, String code) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        // Write a private temporary file and move it into place: the code is never readable by others,
        // not even for a moment, and a reader never sees a half-written file.
        Path tmp = Files.createTempFile(directory, ".code", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, code + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
