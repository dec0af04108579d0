// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs all writes on one thread and one connection, committing whatever work is waiting together.
 *
 * <p>A durable commit costs an fsync, which is far more than the SQL of one send. Callers hand their
 * work over and wait; the writer takes every piece that is waiting, runs each inside its own
 * savepoint, and commits them all with one fsync. Each caller still sees all-or-nothing for its own
 * work (a failing piece rolls back to its savepoint and gets its exception) and returns only after
 * the commit that made its work durable. Under no load a batch holds one piece and nothing waits
 * for company.
 *
 * <p>SQLite writes everything through it ({@link SqliteDatabase}); PostgreSQL only the writes that
 * ask to share a commit ({@link Database#writeShared}), on one pooled connection it keeps between
 * batches ({@link PostgresDatabase}).
 */
final class GroupCommitWriter implements AutoCloseable {
    /** Pieces of work one commit may carry; bounds the latency a large batch adds to its first member. */
    private static final int MAX_BATCH = 512;

    /** Where each batch gets its connection. */
    interface Connections {
        /** The connection for the next batch; a failure here fails that batch's pieces with it as it is. */
        Connection acquire() throws SQLException;

        /** A batch failed as a whole on {@code connection}: it may be broken, do not hand it out again. */
        void failed(Connection connection);

        /** No work came for a while: a connection kept between batches may go back to its pool. */
        void idle();
    }

    private final Connections connections;
    /** The batch's connection, for work nested in a piece; only the writer thread uses it. */
    private Connection writer;
    private final BlockingQueue<PendingWrite<?>> pending = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private volatile boolean closed;

    /** Writes on {@code writer}, always the same connection (SQLite). */
    GroupCommitWriter(Connection writer) {
        this(new Connections() {
            @Override
            public Connection acquire() {
                return writer;
            }

            @Override
            public void failed(Connection connection) {
                // The one connection: the next batch's setAutoCommit(false) surfaces a broken one.
            }

            @Override
            public void idle() {
            }
        }, "parley-db-writer");
    }

    GroupCommitWriter(Connections connections, String threadName) {
        this.connections = connections;
        // A platform thread: SQLite calls are native and would pin a virtual thread's carrier anyway.
        this.writerThread = Thread.ofPlatform().name(threadName).daemon().start(this::writeLoop);
    }

    /** Pieces of work waiting for the writer now. */
    int queued() {
        return pending.size();
    }

    /** Runs {@code work} in a transaction; returns after the commit that made it durable. */
    <T> T write(Database.SqlWork<T> work) {
        if (Thread.currentThread() == writerThread) {
            return nested(work);
        }
        if (closed) {
            throw new StorageException("the database is closed", null);
        }
        PendingWrite<T> write = new PendingWrite<>(work);
        pending.add(write);
        return write.await();
    }

    /** A write issued from inside another write's work joins that transaction. */
    private <T> T nested(Database.SqlWork<T> work) {
        try {
            return work.run(writer);
        } catch (SQLException e) {
            throw new StorageException("database write failed: " + e.getMessage(), e);
        }
    }

    private void writeLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                PendingWrite<?> first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    connections.idle();
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after it stopped new work; finish what is queued.
                Thread.interrupted();
            } finally {
                batch.clear();
            }
        }
        // Work that raced with close() must not wait forever.
        StorageException closedError = new StorageException("the database is closed", null);
        for (PendingWrite<?> left; (left = pending.poll()) != null; ) {
            left.failed(closedError);
        }
    }

    /** Runs each piece in its own savepoint, then commits once and releases every caller. */
    private void commit(List<PendingWrite<?>> batch) {
        try {
            writer = connections.acquire();
        } catch (SQLException | RuntimeException e) {
            // No connection (PostgreSQL: pool exhausted or database down): nothing ran; each caller
            // gets the failure as it is, so a busy pool stays a StorageBusy (429), not a 503.
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new StorageException("no database connection: " + e.getMessage(), e);
            batch.forEach(write -> write.failed(failure));
            return;
        }
        try {
            writer.setAutoCommit(false);
            for (PendingWrite<?> write : batch) {
                write.runInSavepoint(writer);
            }
            writer.commit();
            batch.forEach(PendingWrite::committed);
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            StorageException failure = new StorageException("database commit failed: " + e.getMessage(), e);
            batch.forEach(write -> write.failed(failure));
            connections.failed(writer);
        } finally {
            try {
                writer.setAutoCommit(true);
            } catch (SQLException e) {
                // The next batch's setAutoCommit(false) will surface a broken connection.
            }
        }
    }

    /** One caller's work and the hand-over of its outcome. */
    private static final class PendingWrite<T> {
        private final Database.SqlWork<T> work;
        private final CountDownLatch done = new CountDownLatch(1);
        private T result;
        private RuntimeException error;

        PendingWrite(Database.SqlWork<T> work) {
            this.work = work;
        }

        void runInSavepoint(Connection c) throws SQLException {
            // Prepared, not Statement.execute: the connection caches them, so the three savepoint
            // statements compile once instead of on every piece of work.
            execute(c, "SAVEPOINT w");
            try {
                result = work.run(c);
                execute(c, "RELEASE w");
            } catch (SQLException | RuntimeException e) {
                execute(c, "ROLLBACK TO w");
                execute(c, "RELEASE w");
                error = e instanceof SQLException sql
                        ? new StorageException("database write failed: " + sql.getMessage(), sql)
                        : (RuntimeException) e;
            }
        }

        private static void execute(Connection c, String sql) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.executeUpdate();
            }
        }

        void committed() {
            done.countDown();
        }

        void failed(RuntimeException failure) {
            if (error == null) {
                error = failure;
            }
            done.countDown();
        }

        T await() {
            Uninterruptibly.await(done);
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    /** Finishes the queued work, then stops the thread. The connection stays open for the caller to close. */
    @Override
    public void close() {
        closed = true;
        writerThread.interrupt();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
