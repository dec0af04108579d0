// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.testing.RawHttp;
import org.parley.server.testing.WiredServer;

/**
 * HEAD answers as GET would, with no content (RFC 9110 section 9.3.2), on every GET route of the
 * fully wired server (issue 9, item 9: {@code HEAD /health/live} used to send the 72-byte JSON of
 * a 404, which desynchronised a client reusing the connection).
 */
class HeadRequestTest {
    @TempDir
    static Path dir;

    private static WiredServer server;

    @BeforeAll
    static void start() {
        server = WiredServer.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every GET route, with the credentials it needs; a few also without, for their 401. */
    private static List<String[]> routes() {
        String device = server.deviceAuth();
        String operator = server.operatorAuth();
        return List.of(
                new String[] {"/health/live", null},
                new String[] {"/health/ready", null},
                new String[] {"/metrics", null},
                new String[] {"/.well-known/parley/policy", null},
                new String[] {"/.well-known/parley/policy.html", null},
                new String[] {"/.well-known/parley/legal-signing-key", null},
                new String[] {"/v1/transparency/report?period=2026-H2", null},
                new String[] {"/v1/me/data", device},
                new String[] {"/v1/me/data", null},
                new String[] {"/v1/me/notices", device},
                new String[] {"/v1/keys", device},
                new String[] {"/v1/keys/" + server.accountId() + "/1", device},
                new String[] {"/v1/directory/+12025550100", device},
                new String[] {"/v1/admin/audit", operator},
                new String[] {"/v1/admin/audit/verify", operator},
                new String[] {"/v1/admin/lookup-log", operator},
                new String[] {"/v1/admin/legal/requests", operator},
                new String[] {"/v1/admin/legal/requests/1/package", operator},
                new String[] {"/no/such/endpoint", null});
    }

    private static String request(String method, String path, String auth) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (auth == null ? "" : "Authorization: " + auth + "\r\n") + "\r\n";
    }

    @Test
    void head_everyGetRoute_sameStatusNoContentConnectionInSync() throws Exception {
        for (String[] route : routes()) {
            String path = route[0];
            try (RawHttp raw = RawHttp.connect(server.port())) {
                RawHttp.Response get = raw.exchange(request("GET", path, route[1]));
                RawHttp.Response head = raw.exchange(request("HEAD", path, route[1]));
                // The next response on the same connection must start right where HEAD's headers
                // ended: any content after them would be read here as a status line.
                RawHttp.Response after = raw.exchange(request("GET", "/health/live", null));

                assertEquals(get.status(), head.status(), "HEAD " + path);
                assertEquals(200, after.status(), "HEAD " + path + " left content on the connection");
                assertEquals("{\"status\":\"UP\"}", after.bodyText());
                String length = head.header("Content-Length");
                assertNotNull(length, "HEAD " + path + " states the length GET would send");
                if (!path.equals("/metrics") && !path.startsWith("/health/ready") && !path.startsWith("/v1/admin/audit")
                        && !path.equals("/v1/me/data")) {
                    // Bodies that do not change between the two requests: the very same length.
                    assertEquals(String.valueOf(get.body().length), length, "HEAD " + path);
                }
                assertEquals(get.header("Content-Type"), head.header("Content-Type"), "HEAD " + path);
            }
        }
    }

    @Test
    void head_healthLive_200WithGetsLengthAndNoBody() throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write(request("HEAD", "/health/live", null).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
            RawHttp.Response head = raw.read(true);
            assertEquals(200, head.status());
            assertEquals("15", head.header("Content-Length"));
            assertEquals(0, raw.rest().length, "no byte may follow the headers of a HEAD response");
        }
    }

    @Test
    void head_policy_carriesEtag() throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            RawHttp.Response get = raw.exchange(request("GET", "/.well-known/parley/policy", null));
            RawHttp.Response head = raw.exchange(request("HEAD", "/.well-known/parley/policy", null));
            assertTrue(get.header("ETag").startsWith("\""));
            assertEquals(get.header("ETag"), head.header("ETag"));
        }
    }
}
