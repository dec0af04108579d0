// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.DataFiles;
import org.parley.server.testing.TestHttp;

/**
 * Issue 9 item 5, "deleted must mean gone": a purged lookup-log entry was still readable with
 * {@code strings} in {@code parley.db-wal} while the server ran and in {@code parley.db} after a clean
 * stop. Now no byte sequence of a purged handle is in any file under the data directory, while an
 * entry under a preservation hold, and one still within the retention, stay readable. The same
 * holds for expired audit entries, which name the handles operators asked about.
 */
class PurgeLeavesNoTraceTest {
    @TempDir
    Path dir;

    @Test
    void purge_expiredLookups_goneFromEveryFileWhileRunningAndAfterStop_heldAndRecentEntriesStay() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String purged = "purged-" + tag + "@example.org";
        String held = "held-" + tag + "@example.org";
        String recent = "recent-" + tag + "@example.org";
        LegalTestServer s = new LegalTestServer(dir, c -> c);
        Path data;
        try {
            data = s.dataDir;
            LegalTestServer.Device alice = s.register("alice-" + tag + "@example.org");
            lookUp(s, alice, purged);
            lookUp(s, alice, held);
            // A preservation hold on lookups of the held handle (holds at intake, nothing to approve).
            HttpResponse<String> intake = s.op("POST", "/v1/admin/legal/requests", new LegalIntakeRequest("preservation",
                    "District Court, Example County", "CASE-2026-0099", "2026-11-27", List.of(held), "2026-11-01",
                    "2026-11-30", List.of("lookup-log-of-target"), null,
                    List.of("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")), s.adminToken());
            assertEquals(201, intake.statusCode(), intake.body());
            // Copy the entries into parley.db itself first, as a long-running server's checkpoints would.
            s.server.purgeNow();
            assertEquals(List.of(parleyDb(data)), DataFiles.containing(data, purged), "the entry is on disk before it expires");

            s.clock.advance(Duration.ofDays(31));
            lookUp(s, alice, recent);
            s.server.purgeNow();

            assertEquals(List.of(held, recent), loggedHandles(s), "the held and the recent entry stay, the expired one goes");
            assertEquals(List.of(), DataFiles.containing(data, purged), "while running, after the purge");
            assertFalse(DataFiles.containing(data, recent).isEmpty(), "the scan finds what is stored");
        } finally {
            s.close();
        }
        assertEquals(List.of(), DataFiles.containing(data, purged), "after a clean stop");
        assertFalse(DataFiles.containing(data, recent).isEmpty(), "the recent entry is still on disk");
    }

    /** The audit log names the handles operators asked about; its own retention deletes them too. */
    @Test
    void purge_expiredAuditEntries_handleAnOperatorAskedAboutGoneFromEveryFile() {
        String asked = "asked-about-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        LegalTestServer s = new LegalTestServer(dir, c -> c.withAudit(new ServerConfig.Audit(Duration.ofHours(1))));
        Path data;
        try {
            data = s.dataDir;
            TestHttp.ok(s.op("GET", "/v1/admin/lookup-log?handle=" + URLEncoder.encode(asked, StandardCharsets.UTF_8),
                    null, s.adminToken()));
            s.server.purgeNow();
            assertEquals(List.of(parleyDb(data)), DataFiles.containing(data, asked), "the audit entry names the handle");

            s.clock.advance(Duration.ofHours(2));
            s.server.purgeNow();
            assertEquals(List.of(), DataFiles.containing(data, asked), "while running, after the purge");
        } finally {
            s.close();
        }
        assertEquals(List.of(), DataFiles.containing(data, asked), "after a clean stop");
    }

    private static void lookUp(LegalTestServer s, LegalTestServer.Device who, String handle) {
        TestHttp.ok(s.send("GET", "/v1/directory/" + URLEncoder.encode(handle, StandardCharsets.UTF_8), null, who.auth()));
    }

    private static Path parleyDb(Path data) {
        return data.resolve("parley.db");
    }

    /** Read with SQL on the server's own connection, so the read itself writes no audit entry naming a handle. */
    private static List<String> loggedHandles(LegalTestServer s) {
        return s.server.database().read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT queried_handle FROM lookup_log ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
