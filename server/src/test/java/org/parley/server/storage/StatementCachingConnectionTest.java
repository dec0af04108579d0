// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite statement cache: reuse, reset on close, no sharing between overlapping uses, bounded size. */
class StatementCachingConnectionTest {
    @TempDir
    Path dir;

    private StatementCachingConnection writer;
    private StatementCachingConnection reader;

    @BeforeEach
    void open() throws SQLException {
        String file = dir.resolve("t.db").toString();
        writer = StatementCachingConnection.open(file);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
        reader = StatementCachingConnection.open(file);
    }

    @AfterEach
    void close() throws SQLException {
        writer.close();
        reader.close();
    }

    private void insert(int k, String v) throws SQLException {
        try (PreparedStatement p = writer.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)")) {
            p.setInt(1, k);
            p.setString(2, v);
            p.executeUpdate();
        }
    }

    private int count() throws SQLException {
        try (PreparedStatement p = reader.prepareStatement("SELECT count(*) FROM t"); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aClosedStatementIsHandedOutAgainWithNoParametersBound() throws SQLException {
        PreparedStatement first = writer.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)");
        first.setInt(1, 1);
        first.setString(2, "a");
        first.executeUpdate();
        first.close();
        PreparedStatement second = writer.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)");
        assertSame(first, second);
        second.setInt(1, 2);
        // The value bound before close() is gone: v stays unbound (NULL) and the NOT NULL constraint says so.
        assertTrue(assertThrowsSql(second::executeUpdate).getMessage().contains("NOT NULL"));
        second.close();
        assertEquals(1, count());
        assertEquals(1, writer.cachedStatements());
    }

    @Test
    void closingAHalfReadResultReleasesTheSnapshotSoTheNextReadSeesNewCommits() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        try (PreparedStatement p = reader.prepareStatement("SELECT k FROM t ORDER BY k"); ResultSet rs = p.executeQuery()) {
            assertTrue(rs.next()); // one row of two: the statement is still active when closed
        }
        insert(3, "c");
        assertEquals(3, count());
        try (PreparedStatement p = reader.prepareStatement("SELECT k FROM t ORDER BY k"); ResultSet rs = p.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
                rows++;
            }
            assertEquals(3, rows);
        }
    }

    @Test
    void theSameSqlPreparedWhileInUseGetsItsOwnStatement() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        String sql = "SELECT v FROM t WHERE k >= ? ORDER BY k";
        try (PreparedStatement outer = reader.prepareStatement(sql)) {
            outer.setInt(1, 1);
            try (ResultSet rs = outer.executeQuery()) {
                assertTrue(rs.next());
                try (PreparedStatement inner = reader.prepareStatement(sql)) {
                    assertNotSame(outer, inner);
                    inner.setInt(1, 2);
                    try (ResultSet in = inner.executeQuery()) {
                        assertTrue(in.next());
                        assertEquals("b", in.getString(1));
                    }
                }
                assertEquals("a", rs.getString(1));
                assertTrue(rs.next());
                assertEquals("b", rs.getString(1));
            }
        }
    }

    @Test
    void theCacheStaysBoundedAndAnEvictedStatementInUseStillWorks() throws SQLException {
        insert(1, "a");
        PreparedStatement held = reader.prepareStatement("SELECT v FROM t WHERE k = ?");
        for (int i = 0; i < StatementCachingConnection.CAPACITY + 10; i++) {
            try (PreparedStatement p = reader.prepareStatement("SELECT " + i + " FROM t")) {
                p.executeQuery().close();
            }
        }
        assertEquals(StatementCachingConnection.CAPACITY, reader.cachedStatements());
        held.setInt(1, 1);
        try (ResultSet rs = held.executeQuery()) {
            assertTrue(rs.next());
            assertEquals("a", rs.getString(1));
        }
        held.close();
        assertTrue(held.isClosed(), "an evicted statement is finalized by its last close");
    }

    @Test
    void closingTheConnectionFinalizesTheCachedStatements() throws SQLException {
        PreparedStatement p = reader.prepareStatement("SELECT count(*) FROM t");
        p.close();
        reader.close();
        assertTrue(p.isClosed());
        assertEquals(0, reader.cachedStatements());
    }

    private static SQLException assertThrowsSql(SqlCall call) {
        try {
            call.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected an SQLException");
    }

    @FunctionalInterface
    private interface SqlCall {
        Object run() throws SQLException;
    }
}
