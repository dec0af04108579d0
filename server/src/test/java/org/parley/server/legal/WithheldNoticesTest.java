// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.TestHttp;

/** With {@code legal.user-notices: withhold} a produced disclosure is never shown, and the policy says so. */
class WithheldNoticesTest {
    @TempDir
    Path dir;

    @Test
    void noNoticeIsShownAndThePolicySaysWithhold() {
        try (LegalTestServer s = new LegalTestServer(dir, c -> {
            var l = c.legal();
            return c.withLegal(new ServerConfig.Legal(l.categories(), l.holdDuration(), l.holdExtension(), false, 250));
        })) {
            LegalTestServer.Device bob = s.register("bob@example.org");
            String rita = s.token("rita", "legal-reviewer");
            var created = s.op("POST", "/v1/admin/legal/requests",
                    new LegalIntakeRequest("subpoena", "Police", "R-9", "2026-11-27", List.of("bob@example.org"),
                            "2026-11-01", "2026-11-30", List.of("subscriber"), null, null), s.adminToken());
            assertEquals(201, created.statusCode(), created.body());
            long id = TestHttp.parse(created).get("id").asLong();
            TestHttp.ok(s.op("POST", "/v1/admin/legal/requests/" + id + "/approve", null, rita));
            assertEquals("produced-with-data", TestHttp.ok(s.op("POST", "/v1/admin/legal/requests/" + id + "/produce",
                    null, rita)).get("outcome").asText());
            assertEquals(0, TestHttp.ok(s.send("GET", "/v1/me/notices", null, bob.auth())).get("notices").size());
            assertEquals(0, TestHttp.ok(s.send("GET", "/v1/me/data", null, bob.auth())).get("disclosures").size());
            JsonNode policy = TestHttp.ok(s.send("GET", "/.well-known/parley/policy", null, null));
            assertEquals("withhold", policy.get("settings").get("legal.user-notices").asText());
            JsonNode report = TestHttp.ok(s.send("GET", "/v1/transparency/report?period=2026-H2", null, null));
            assertEquals(250, report.get("band").asInt());
            JsonNode received = report.get("types").get(1).get("received");
            assertTrue(received.isIntegralNumber(), received.toString());
            assertEquals(0, received.asLong(), "the lower bound of the band 0-249");
        }
    }
}
