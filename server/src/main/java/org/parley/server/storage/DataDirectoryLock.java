// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.config.ConfigException;

/**
 * One server per data directory: an exclusive lock on {@code <data-dir>/}{@value #FILE_NAME}, held
 * for the server's lifetime, with the holder's process id in the file, as PostgreSQL's
 * {@code postmaster.pid}. A second server on the same directory would share its database without
 * sharing delivery wake-ups, lookup quotas or the purge schedule, so it is refused with a message
 * that names the directory and the process holding it.
 *
 * <p>The host commands ({@code parley admin token}, {@code parley admin audit}) never take it: they
 * are meant to run beside the server, and SQLite lets them share the database file.
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock()}), so it ends with the process
 * however the process ends; the file may stay behind and means nothing then. Within one JVM the
 * directories locked are also kept here: POSIX record locks belong to the process, and closing any
 * other channel on the file, as a second attempt from this process would, would drop the lock.
 */
public final class DataDirectoryLock implements AutoCloseable {
    /** The lock file's name inside the data directory. */
    public static final String FILE_NAME = "server.lock";

    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dataDir} (mode 0700) if needed and locks it for this process.
     *
     * @throws ConfigException when another server holds it, naming the directory and that process,
     *                         or when the directory cannot be created or locked
     */
    public static DataDirectoryLock acquire(Path dataDir) {
        Path dir = DataDirectory.create(dataDir);
        Path file = dir.resolve(FILE_NAME);
        if (!HELD_BY_THIS_PROCESS.add(file)) {
            throw inUse(dir, "this process (PID " + ProcessHandle.current().pid() + ")");
        }
        try {
            FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                // OverlappingFileLockException cannot happen: this process's attempts are refused above.
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw inUse(dir, holder);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new DataDirectoryLock(file, channel, lock);
        } catch (IOException e) {
            HELD_BY_THIS_PROCESS.remove(file);
            throw new ConfigException("cannot lock the data directory " + dir + " (" + file + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            HELD_BY_THIS_PROCESS.remove(file);
            throw e;
        }
    }

    /** Who holds the lock, from the PID the holder wrote; it may not have written it yet. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("[0-9]{1,19}") ? "another process (PID " + text + ")" : "another process";
    }

    private static ConfigException inUse(Path dir, String holder) {
        return new ConfigException("the data directory " + dir + " is in use by " + holder + ", a Parley server"
                + " (lock file " + dir.resolve(FILE_NAME) + "); stop that server first, or give this one its own"
                + " --data-dir (server.data-dir). One data directory serves one server");
    }

    /** Releases the lock; the emptied file stays, since deleting it could let two servers lock two files. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel ends the lock whatever failed before; the process ending would too.
        } finally {
            HELD_BY_THIS_PROCESS.remove(file);
        }
    }
}
