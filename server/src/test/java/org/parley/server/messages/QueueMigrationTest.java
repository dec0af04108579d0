// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.MessageType;
import org.parley.server.ServerDatabase;
import org.parley.server.storage.Database;

/**
 * The SQLite rebuild of {@code messages-queue.sql} (no AUTOINCREMENT, no UNIQUE guid) keeps every
 * row with its id and queue order, and the store then hands out ids above every stored one.
 */
class QueueMigrationTest {
    @TempDir
    Path dir;

    @Test
    void rebuild_keepsRowsAndIds_andTheStoreContinuesAboveThem() {
        int before = ServerDatabase.SCHEMA.indexOf("/db/sqlite/messages-queue.sql");
        try (Database db = Database.openSqlite(dir.resolve("parley.db"), "FULL")) {
            db.migrate(ServerDatabase.SCHEMA.subList(0, before));
            db.write(c -> {
                try (var s = c.createStatement()) {
                    for (int i = 1; i <= 4; i++) {
                        s.execute("INSERT INTO messages(account_id, device_id, guid, source_account_id, source_device_id, type,"
                                + " content, client_timestamp, server_timestamp, expires_at) VALUES ('a', 1, 'g" + i
                                + "', 's', 1, 'signal', x'01', 1, 1, 9)");
                    }
                    s.execute("DELETE FROM messages WHERE guid = 'g2'");
                }
                return null;
            });

            db.migrate(ServerDatabase.SCHEMA);

            JdbcMessageStore store = new JdbcMessageStore(db);
            assertEquals(List.of(1L, 3L, 4L), store.page("a", 1, 0, 10).stream().map(QueuedMessage::id).toList());
            assertEquals(List.of("g1", "g3", "g4"), store.page("a", 1, 0, 10).stream().map(QueuedMessage::guid).toList());
            QueuedMessage next = store.insert(List.of(new QueuedMessage(0, "a", 1, "g5", "s", 1, MessageType.SIGNAL,
                    new byte[] {1}, 1, 1, 9))).getFirst();
            assertTrue(next.id() > 4, "id " + next.id());
            assertEquals(List.of("messages_by_device"), db.read(c -> {
                List<String> names = new ArrayList<>();
                try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            }), "no guid index left, and no expiry index since messages-expiry.sql");
        }
    }
}
