// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.testing.StorageBackend;

/**
 * The SQLite scripts and the PostgreSQL migrations describe the same tables with the same columns:
 * a table or column added to one backend only (the easy mistake when a feature adds a script) fails
 * here, not in production on the other backend.
 */
class SchemaParityTest {
    /** Each backend's own bookkeeping, not Parley's schema. */
    private static final Set<String> BOOKKEEPING = Set.of("schema_migrations", "flyway_schema_history", "sqlite_sequence");

    @TempDir
    Path dir;

    @Test
    void bothBackendsHaveTheSameTablesAndColumns() {
        Map<String, Set<String>> sqlite;
        try (Database db = StorageBackend.SQLITE.open(dir)) {
            sqlite = db.read(SchemaParityTest::sqliteColumns);
        }
        Map<String, Set<String>> postgres;
        try (Database db = StorageBackend.POSTGRESQL.open(dir)) {
            postgres = db.read(SchemaParityTest::postgresColumns);
        }
        assertTrue(sqlite.containsKey("audit_log") && sqlite.containsKey("legal_requests"), sqlite.keySet().toString());
        assertEquals(sqlite.keySet(), postgres.keySet(), "tables");
        for (String table : sqlite.keySet()) {
            assertEquals(sqlite.get(table), postgres.get(table), "columns of " + table);
        }
    }

    private static Map<String, Set<String>> sqliteColumns(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                if (!BOOKKEEPING.contains(rs.getString(1))) {
                    tables.add(rs.getString(1));
                }
            }
        }
        Map<String, Set<String>> out = new TreeMap<>();
        for (String table : tables) {
            Set<String> columns = new TreeSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (rs.next()) {
                    columns.add(rs.getString("name"));
                }
            }
            out.put(table, columns);
        }
        return out;
    }

    private static Map<String, Set<String>> postgresColumns(Connection c) throws SQLException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.table_name, c.column_name FROM information_schema.columns c"
                     + " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
                     + " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                if (!BOOKKEEPING.contains(rs.getString(1))) {
                    out.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }
}
