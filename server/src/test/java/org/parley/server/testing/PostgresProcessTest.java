// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The test harness itself: a private server that keeps its data across a restart and leaves nothing behind. */
class PostgresProcessTest {
    private static Connection connect(PostgresProcess pg, String database) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(database), PostgresProcess.USER, PostgresProcess.PASSWORD);
    }

    @Test
    void launch_restart_keepsDataAndPort_close_removesEverything() throws Exception {
        Path dataDir;
        try (PostgresProcess pg = PostgresProcess.launch()) {
            assertNotEquals(5432, pg.port(), "never the machine's own PostgreSQL");
            String db = pg.createDatabase();
            try (Connection c = connect(pg, db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v TEXT)");
                s.execute("INSERT INTO kept VALUES ('before restart')");
            }
            int port = pg.port();
            dataDir = pg.directory();
            assertTrue(Files.isDirectory(dataDir));

            pg.stopServer();
            assertFalse(pg.isRunning());
            assertThrows(SQLException.class, () -> connect(pg, db).close());
            pg.startServer();

            assertEquals(port, pg.port());
            try (Connection c = connect(pg, db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("before restart", rs.getString(1));
            }
        }
        assertFalse(Files.exists(dataDir), "close() deletes the server's directory");
    }
}
