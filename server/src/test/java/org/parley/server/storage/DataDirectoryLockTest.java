// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ConfigException;

/** One server per data directory (issue 9 item 3), against another process and within this one. */
class DataDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void acquire_heldByAnotherProcess_refusedNamingTheDirectoryAndItsPid() throws Exception {
        Path data = dir.resolve("data");
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), data.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine());
            Path real = data.toRealPath();
            ConfigException e = assertThrows(ConfigException.class, () -> DataDirectoryLock.acquire(data));
            assertTrue(e.getMessage().startsWith("the data directory " + real + " is in use by another process (PID "
                    + holder.pid() + "), a Parley server (lock file " + real.resolve("server.lock") + ")"), e.getMessage());

            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
                assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(real.resolve("server.lock")));
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void acquire_twiceInThisProcess_refusedUntilClosed() throws Exception {
        Path data = dir.resolve("a").resolve("data");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                    Files.getPosixFilePermissions(data), "a new data directory is private");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(data.resolve("server.lock")));
            ConfigException e = assertThrows(ConfigException.class, () -> DataDirectoryLock.acquire(data));
            assertTrue(e.getMessage().contains("in use by this process (PID " + ProcessHandle.current().pid() + ")"), e.getMessage());
        }
        try (DataDirectoryLock again = DataDirectoryLock.acquire(data)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(data.resolve("server.lock")));
        }
        assertEquals("", Files.readString(data.resolve("server.lock")), "released, the file no longer names a process");
    }

    /** Holds the lock on the directory in {@code args[0]} until its standard input closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]))) {
                System.out.println("locked");
                System.out.flush();
                System.in.readAllBytes();
            }
        }
    }
}
