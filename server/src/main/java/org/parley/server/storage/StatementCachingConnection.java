// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.core.DB;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A SQLite connection that keeps its prepared statements: {@code prepareStatement(sql)} hands back
 * the statement compiled for the same SQL last time, and that statement's {@code close()} only
 * resets it for the next caller.
 *
 * <p>WHY: sqlite-jdbc compiles the SQL again on every {@code prepareStatement}, and the stores
 * prepare their statements per call; compiling was a fifth of the server's CPU under load. The
 * stores keep their ordinary try-with-resources code and need not know about the cache.
 *
 * <p>Not thread-safe, on purpose: {@link SqliteDatabase} gives each connection to one thread at a
 * time (the writer thread, or a reader taken from the pool), which is also all a SQLite connection
 * allows. Only {@link #prepareStatement(String)} is cached; the other overloads (generated keys,
 * result-set types) compile as before.
 */
final class StatementCachingConnection extends JDBC4Connection {
    /** Distinct SQL texts kept per connection; the stores use fewer, dynamic filters stay bounded. */
    static final int CAPACITY = 256;

    private final Map<String, CachedStatement> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            try {
                eldest.getValue().evict();
            } catch (SQLException e) {
                throw new StorageException("cannot finalize a cached statement: " + e.getMessage(), e);
            }
            return true;
        }
    };

    private StatementCachingConnection(String url, String file) throws SQLException {
        super(url, file, new Properties());
    }

    /** Opens the SQLite database at {@code file}. */
    static StatementCachingConnection open(String file) throws SQLException {
        return new StatementCachingConnection("jdbc:sqlite:" + file, file);
    }

    /**
     * The cached statement for {@code sql}, reset and with no parameters bound. When that statement
     * is still in use (a caller prepares the same SQL again while iterating its results), a fresh,
     * uncached statement is returned instead, so the two never share state.
     */
    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        CachedStatement cached = cache.get(sql);
        if (cached == null || cached.evicted) {
            cached = new CachedStatement(this, sql);
            cache.put(sql, cached);
        } else if (cached.inUse) {
            return super.prepareStatement(sql);
        }
        cached.inUse = true;
        return cached;
    }

    /** Statements kept now: for tests. */
    int cachedStatements() {
        return cache.size();
    }

    /** Finalizes every cached statement, then closes the connection. */
    @Override
    public void close() throws SQLException {
        List<CachedStatement> all = new ArrayList<>(cache.values());
        cache.clear();
        SQLException first = null;
        for (CachedStatement s : all) {
            try {
                s.evict();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        super.close();
        if (first != null) {
            throw first;
        }
    }

    /** A compiled statement whose {@code close()} returns it to the cache instead of finalizing it. */
    private static final class CachedStatement extends JDBC4PreparedStatement {
        private boolean inUse;
        private boolean evicted;

        CachedStatement(StatementCachingConnection connection, String sql) throws SQLException {
            super(connection, sql);
        }

        /**
         * Resets the statement for its next use. The reset matters beyond tidiness: a SQLite
         * statement left mid-result keeps its read transaction open, and the connection's next read
         * would then see that old snapshot instead of the last commit.
         */
        @Override
        public void close() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            if (evicted) {
                super.close();
                return;
            }
            try {
                rs.close();
                if (!pointer.isClosed()) {
                    pointer.safeRunInt(DB::reset);
                }
                clearBatch();
                clearParameters();
            } catch (SQLException | RuntimeException e) {
                // A statement that cannot be reset is not handed out again.
                evicted = true;
                super.close();
                throw e;
            }
        }

        /** Leaves the cache: finalized now, or by its user's close() when it is in use. */
        void evict() throws SQLException {
            evicted = true;
            if (!inUse) {
                super.close();
            }
        }
    }
}
