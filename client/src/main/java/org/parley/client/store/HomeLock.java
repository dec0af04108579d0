// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.client.error.ParleyStateException;

/**
 * The exclusive lock of a home's receive path, {@code <home>/receive.lock}: whoever stores a received
 * envelope in the history or shows history entries holds it. Two {@code receive} processes on one home
 * (both may get the same envelope, e.g. while a deployment's Redis is down) then take turns per
 * envelope, and an entry shown by one is marked shown before the other looks.
 *
 * <p>POSIX file locks belong to a process, not to a channel: a second lock on the same file from the
 * same JVM fails instead of waiting, and closing any descriptor of the file drops the process's lock.
 * So each JVM opens the file once, shares that channel between all {@code HomeLock}s of the home
 * (closing it with the last one), and adds an in-process lock in front of the file lock. The OS
 * drops the file lock when the process dies, however it dies.
 */
public final class HomeLock implements AutoCloseable {
    public static final String FILE_NAME = "receive.lock";

    /** One per lock file and JVM; guarded by {@code SHARED}'s monitor. */
    private static final class Shared {
        final FileChannel channel;
        final ReentrantLock local = new ReentrantLock();
        int users;

        Shared(FileChannel channel) {
            this.channel = channel;
        }
    }

    private static final Map<Path, Shared> SHARED = new HashMap<>();

    private final Path file;
    private final Shared shared;
    private boolean closed;

    private HomeLock(Path file, Shared shared) {
        this.file = file;
        this.shared = shared;
    }

    /** Opens (creating, mode 0600) the lock file of {@code home}; does not lock yet. */
    public static HomeLock open(Path home) {
        Path file = home.resolve(FILE_NAME);
        try {
            PrivateFiles.ensureFile(file);
            Path key = file.toRealPath();
            synchronized (SHARED) {
                Shared shared = SHARED.get(key);
                if (shared == null) {
                    shared = new Shared(FileChannel.open(key, StandardOpenOption.READ, StandardOpenOption.WRITE));
                    SHARED.put(key, shared);
                }
                shared.users++;
                return new HomeLock(key, shared);
            }
        } catch (IOException e) {
            throw new ParleyStateException("cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A held lock; closing it releases the lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits until no other process or thread holds the lock, then holds it. Not reentrant. */
    public Held acquire() {
        if (shared.local.isHeldByCurrentThread()) {
            throw new IllegalStateException("the receive lock " + file + " is already held by this thread");
        }
        shared.local.lock();
        FileLock fileLock;
        try {
            fileLock = shared.channel.lock();
        } catch (IOException | RuntimeException e) {
            shared.local.unlock();
            throw new ParleyStateException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        return held(fileLock);
    }

    /** Holds the lock if no other process or thread does; empty (without waiting) otherwise. Not reentrant. */
    public Optional<Held> tryAcquire() {
        if (shared.local.isHeldByCurrentThread() || !shared.local.tryLock()) {
            return Optional.empty();
        }
        FileLock fileLock;
        try {
            fileLock = shared.channel.tryLock();
        } catch (IOException | RuntimeException e) {
            shared.local.unlock();
            throw new ParleyStateException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (fileLock == null) {
            shared.local.unlock();
            return Optional.empty();
        }
        return Optional.of(held(fileLock));
    }

    private Held held(FileLock fileLock) {
        return () -> {
            try {
                fileLock.release();
            } catch (IOException e) {
                throw new ParleyStateException("cannot unlock " + file + ": " + e.getMessage(), e);
            } finally {
                shared.local.unlock();
            }
        };
    }

    @Override
    public void close() {
        synchronized (SHARED) {
            if (closed) {
                return;
            }
            closed = true;
            if (--shared.users > 0) {
                return;
            }
            SHARED.remove(file);
            try {
                shared.channel.close();
            } catch (IOException e) {
                throw new ParleyStateException("cannot close the lock file " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
