// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ServerDatabase;
import org.parley.server.storage.Database;

/**
 * The SQLite rebuild that makes the messages' source columns nullable keeps the rows and the
 * AUTOINCREMENT counter: an id handed out before the migration is never handed out again.
 */
class SealedMessagesMigrationTest {
    @TempDir
    Path dir;

    @Test
    void rebuild_keepsRowsAndNeverReusesAnId() {
        int before = ServerDatabase.SCHEMA.indexOf("/db/sqlite/messages-sealed.sql");
        try (Database db = Database.openSqlite(dir.resolve("parley.db"), "FULL")) {
            db.migrate(ServerDatabase.SCHEMA.subList(0, before));
            db.write(c -> {
                try (var s = c.createStatement()) {
                    for (int i = 1; i <= 3; i++) {
                        s.execute("INSERT INTO messages(account_id, device_id, guid, source_account_id, source_device_id, type,"
                                + " content, client_timestamp, server_timestamp, expires_at) VALUES ('a', 1, 'g" + i
                                + "', 's', 1, 'signal', x'01', 1, 1, 9)");
                    }
                    // The newest id (3) is deleted: a naive rebuild would hand it out again.
                    s.execute("DELETE FROM messages WHERE guid IN ('g2', 'g3')");
                }
                return null;
            });

            // Up to this rebuild only: since messages-queue.sql the store, not SQLite, hands out ids.
            db.migrate(ServerDatabase.SCHEMA.subList(0, before + 1));

            long id = db.write(c -> {
                try (var s = c.createStatement()) {
                    s.execute("INSERT INTO messages(account_id, device_id, guid, type, content, client_timestamp,"
                            + " server_timestamp, expires_at) VALUES ('a', 1, 'sealed', 'sealed', x'01', 1, 1, 9)");
                }
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM messages WHERE guid = 'sealed'");
                        ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertTrue(id > 3, "id " + id + " was handed out before the migration");
            assertEquals(List.of("g1", "sealed"), db.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT guid FROM messages ORDER BY id");
                        ResultSet rs = s.executeQuery()) {
                    List<String> guids = new java.util.ArrayList<>();
                    while (rs.next()) {
                        guids.add(rs.getString(1));
                    }
                    return guids;
                }
            }));
        }
    }
}
