// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.parley.server.testing.TestHttp;

/** Whatever an operator or a stranger sends to the register's endpoints, the answer is a 4xx JSON error or a success. */
class LegalMalformedInputTest {
    private static LegalTestServer server;
    private static String admin;
    private static String reviewer;

    @BeforeContainer
    static void start() throws Exception {
        server = new LegalTestServer(Files.createTempDirectory("legal-malformed"), c -> c);
        admin = server.adminToken();
        reviewer = server.token("rita", "legal-reviewer");
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static final String VALID = "{\"type\":\"court-order\",\"authority\":\"A\",\"reference\":\"R\","
            + "\"received\":\"2026-11-27\",\"handles\":[\"bob@example.org\"],\"from\":\"2026-11-01\","
            + "\"until\":\"2026-11-30\",\"categories\":[\"subscriber\"]";

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789abcdefnulltrue-+.eE ").ofMaxLength(120),
                Arbitraries.of("{", "[]", "null", "{}", "{\"reason\":null}", "{\"reason\":[]}", "{\"reason\":1}",
                        VALID + "}",
                        VALID + ",\"nonDisclosureUntil\":\"+999999999-12-31\"}",
                        VALID.replace("2026-11-30", "+999999999-12-31") + "}",
                        VALID.replace("2026-11-30", "9999-12-31") + "}",
                        VALID.replace("court-order", "preservation").replace("2026-11-30", "+999999999-12-31") + "}",
                        VALID.replace("court-order", "preservation").replace("2026-11-30", "9999-12-30") + "}",
                        VALID.replace("2026-11-01", "-0001-01-01") + "}",
                        VALID.replace("[\"subscriber\"]", "[null]") + "}",
                        VALID.replace("[\"subscriber\"]", "\"subscriber\"") + "}",
                        VALID.replace("[\"bob@example.org\"]", "[null]") + "}",
                        VALID.replace("[\"bob@example.org\"]", "[]") + "}",
                        VALID + ",\"documentSha256\":[null]}",
                        VALID + ",\"documentSha256\":[\"" + "g".repeat(64) + "\"]}",
                        VALID + ",\"extra\":1}",
                        VALID.replace("\"A\"", "\"" + "x".repeat(600) + "\"") + "}",
                        VALID.replace("\"A\"", "\"line\\nbreak\"") + "}"));
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz019+@.-_~H").ofMinLength(1).ofMaxLength(30),
                Arbitraries.of("%00", "%FF", "-1", "0", "99999999999999999999", "2026-H3", "1-H1", "%2F..%2F"));
    }

    @Property(tries = 120)
    void anyBodyToAnyRegisterEndpoint(@ForAll("bodies") String body, @ForAll boolean reviewerToken) {
        String token = reviewerToken ? reviewer : admin;
        for (String path : new String[] {"/v1/admin/legal/requests", "/v1/admin/legal/requests/1/reject",
            "/v1/admin/legal/requests/1/hold/release", "/v1/admin/legal/requests/1/review",
            "/v1/admin/legal/requests/1/approve", "/v1/admin/legal/requests/1/produce"}) {
            HttpResponse<String> r = server.op("POST", path, new RawJson(body), token);
            check(r, "POST " + path + " " + body);
        }
    }

    @Property(tries = 60)
    void anyPathOrQuery(@ForAll("junk") String junk) {
        for (String path : new String[] {"/v1/admin/legal/requests/" + junk, "/v1/admin/legal/requests/" + junk + "/package",
            "/v1/admin/legal/requests?" + junk + "=1", "/v1/transparency/report?period=" + junk}) {
            check(server.op("GET", path, null, admin), "GET " + path);
        }
    }

    private static void check(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 == 2) {
            return;
        }
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, what + " gave " + r.statusCode() + ": " + r.body());
        JsonNode body = TestHttp.parse(r);
        assertFalse(body.path("error").asText().isEmpty(), what + ": " + r.body());
        assertFalse(body.path("message").asText().isEmpty(), what + ": " + r.body());
        assertFalse(r.body().contains("org.parley"), what + " leaked a class name: " + r.body());
    }

    /** A body sent as it is: TestHttp serialises records, and this one serialises to the raw text. */
    record RawJson(String text) {
        @com.fasterxml.jackson.annotation.JsonValue
        @com.fasterxml.jackson.annotation.JsonRawValue
        public String text() {
            return text;
        }
    }
}
