// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.protocol.Json;
import org.parley.server.ParleyServer;
import org.parley.server.cluster.Cluster;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;

/** The published policy, served by the fully wired server, follows the live configuration. */
class PolicyEndpointTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private ParleyServer start(Map<String, String> env) {
        ServerConfig config = ConfigLoader.load(null, env).withHttp("127.0.0.1", 0, dir.resolve("data"));
        return ParleyServer.start(config, Clock.systemUTC());
    }

    private HttpResponse<String> get(ParleyServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode category(JsonNode policy, String name) {
        for (JsonNode c : policy.get("categories")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no category " + name + " in " + policy);
    }

    private static List<String> fieldNames(JsonNode category) {
        List<String> out = new ArrayList<>();
        category.get("fields").forEach(f -> out.add(f.get("name").asText()));
        return out;
    }

    @ParameterizedTest(name = "mode {0}, retention {1}")
    @CsvSource({
        "full,         P30D, ip,         P30D",
        "truncated-ip, P7D,  ip_network, P7D",
        "no-ip,        P1D,  ,           P1D",
        "off,          P90D, ,           P90D",
        "full,         PT12H, ip,        PT12H",
    })
    void policy_followsLookupLogModeAndRetention(String mode, String retention, String ipField, String shown) throws Exception {
        try (ParleyServer server = start(Map.of("PARLEY_LOOKUP_LOG_MODE", mode, "PARLEY_LOOKUP_LOG_RETENTION", retention,
                "PARLEY_MESSAGES_TTL", "P3D", "PARLEY_AUDIT_RETENTION", "P1Y"))) {
            HttpResponse<String> response = get(server, "/.well-known/parley/policy");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode policy = Json.lenient().readTree(response.body());
            assertEquals(mode, policy.get("settings").get("lookup-log.mode").asText());
            assertEquals(shown, policy.get("settings").get("lookup-log.retention").asText());

            JsonNode log = category(policy, "lookup-log");
            List<String> fields = fieldNames(log);
            if (mode.equals("off")) {
                assertFalse(log.get("recorded").asBoolean());
                assertEquals(List.of(), fields);
                assertEquals("not recorded", log.get("retention").asText());
                assertTrue(log.get("notes").asText().contains("off"), log.toString());
                assertTrue(log.get("notes").asText().contains(shown), "old entries still expire after the retention");
            } else {
                assertTrue(log.get("recorded").asBoolean());
                assertTrue(fields.containsAll(List.of("time", "requester", "queried_handle", "route")), fields.toString());
                assertTrue(log.get("retention").asText().startsWith(shown), log.toString());
                Set<String> ipFields = new HashSet<>(fields);
                ipFields.retainAll(Set.of("ip", "ip_network"));
                assertEquals(ipField == null ? Set.of() : Set.of(ipField), ipFields, mode);
                assertTrue(log.get("notes").asText().contains("crash of the server can therefore lose"),
                        "the policy states the write-behind window: " + log);
            }
            assertTrue(category(policy, "queued-envelopes").get("retention").asText().contains("P3D"));
            assertTrue(category(policy, "audit-log").get("retention").asText().startsWith("P366D"));
        }
    }

    @ParameterizedTest(name = "write-behind {0}")
    @CsvSource({
        "PT0.1S, 100 ms",
        "PT2S,   2000 ms",
        "PT0S,   Every lookup waits for its entry's commit",
    })
    void policy_statesTheLookupLogWriteBehindWindow(String writeBehind, String stated) throws Exception {
        try (ParleyServer server = start(Map.of("PARLEY_LOOKUP_LOG_WRITE_BEHIND", writeBehind))) {
            JsonNode policy = Json.lenient().readTree(get(server, "/.well-known/parley/policy").body());
            assertEquals(writeBehind, policy.get("settings").get("lookup-log.write-behind").asText());
            String notes = category(policy, "lookup-log").get("notes").asText();
            assertTrue(notes.contains(stated), notes);
            assertEquals(!writeBehind.equals("PT0S"), notes.contains("crash of the server can therefore lose"), notes);
        }
    }

    @Test
    void policy_listsEveryStoredCategoryWithFieldsRetentionReadersAndNotices() throws Exception {
        try (ParleyServer server = start(Map.of())) {
            JsonNode policy = Json.lenient().readTree(get(server, "/.well-known/parley/policy").body());
            for (String name : List.of("accounts", "handles", "devices", "verification-sessions", "prekeys",
                    "queued-envelopes", "lookup-log", "operator-tokens", "audit-log")) {
                JsonNode c = category(policy, name);
                assertFalse(c.get("fields").isEmpty(), name);
                assertFalse(c.get("retention").asText().isBlank(), name);
                assertFalse(c.get("readers").isEmpty(), name);
            }
            // On loopback with sender auto the development sender writes codes to disk: that is stated too.
            category(policy, "development-codes");
            // Some notice policy is always stated: the legal register's, or "none" without a register.
            assertFalse(policy.get("userNotices").isEmpty());
            for (JsonNode notice : policy.get("userNotices")) {
                assertFalse(notice.get("policy").asText().isBlank(), notice.toString());
                assertFalse(notice.get("text").asText().isBlank(), notice.toString());
            }
            // The legal register states the notice policy from legal.user-notices (default give).
            assertEquals("give", policy.get("userNotices").get(0).get("policy").asText());
            for (String name : List.of("legal-register", "preservation-holds", "disclosure-packages")) {
                assertFalse(category(policy, name).get("readers").isEmpty(), name);
            }
            for (String name : List.of("accounts", "handles", "devices", "lookup-log")) {
                assertTrue(category(policy, name).get("readers").toString().contains("requesting authority"), name);
            }
            assertTrue(policy.get("subjectAccess").asText().contains("/v1/me/data"));
            assertTrue(policy.get("settings").has("audit.retention"));
            // A single node: no Redis, and the policy says so.
            assertFalse(category(policy, "redis-signals").get("recorded").asBoolean());
            assertEquals("[]", policy.get("settings").get("redis.uris").asText());
        }
    }

    @Test
    void clusterPolicy_withRedis_statesWhatRedisSeesButNeverTheUris() {
        String uri = "redis://:s3cret-password@redis.internal:6379";
        PolicyContributor policy = Cluster.policy(new ServerConfig.Redis(List.of(uri), false, "k".repeat(32)));
        DataCategory c = policy.categories().getFirst();
        assertTrue(c.recorded());
        assertEquals(List.of("delivery channel", "signals", "lookup quota", "key-fetch limit", "sealed-send limits"), c.fields().stream().map(DataField::name).toList());
        assertFalse(c.readers().isEmpty());
        assertEquals("standalone", policy.settings().get("redis.mode"));
        assertFalse(policy.settings().toString().contains("s3cret"), policy.settings().toString());
        assertFalse(policy.settings().toString().contains("redis.internal"), policy.settings().toString());
    }

    @Test
    void policyHtml_isReadableAndEscaped() throws Exception {
        try (ParleyServer server = start(Map.of("PARLEY_LOOKUP_LOG_MODE", "truncated-ip"))) {
            HttpResponse<String> response = get(server, "/.well-known/parley/policy.html");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            String html = response.body();
            assertTrue(html.contains("<h3>lookup-log</h3>"), html);
            assertTrue(html.contains("ip_network"));
            assertTrue(html.contains("truncated-ip"));
            // The description of the host reader has '<data-dir>' and '<handle>': escaped, never raw markup.
            assertTrue(html.contains("&lt;data-dir&gt;"), "angle brackets in contributed text are escaped");
            assertFalse(html.contains("<data-dir>"));
        }
    }

    @Test
    void policyHtml_escapesEverythingContributed() {
        PolicyContributor hostile = new PolicyContributor() {
            @Override
            public List<DataCategory> categories() {
                return List.of(DataCategory.of("x<script>", "<img src=x onerror=alert(1)>",
                        List.of(new DataField("\"quoted\"", "a & b")), "'forever'", List.of("<b>me</b>"), "</section>"));
            }

            @Override
            public List<UserNoticeStatement> userNotices() {
                return List.of(new UserNoticeStatement("<give>", "legal.user-notices", "<i>soon</i>"));
            }
        };
        PolicyDocument doc = new PolicyAssembler(List.of(hostile), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).assemble();
        String html = PolicyHtml.render(doc);
        assertFalse(html.contains("<script>"));
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("<b>me"));
        assertFalse(html.contains("<i>soon"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(html.contains("&quot;quoted&quot;"));
        assertTrue(html.contains("a &amp; b"));
        assertEquals(1, doc.userNotices().size(), "a contributed notice policy replaces the no-register statement");
    }

    @Test
    void assembler_extraReadersAndNotices_comeFromOtherContributors() {
        PolicyContributor core = () -> List.of(DataCategory.of("handles", "d", List.of(), "r", List.of("owner"), ""));
        PolicyContributor legal = new PolicyContributor() {
            @Override
            public List<DataCategory> categories() {
                return List.of(DataCategory.of("legal-requests", "d", List.of(), "P5Y", List.of("legal-reviewer"), ""));
            }

            @Override
            public Map<String, List<String>> extraReaders() {
                return Map.of("handles", List.of("a requesting authority, under an approved legal request"));
            }

            @Override
            public List<UserNoticeStatement> userNotices() {
                return List.of(new UserNoticeStatement("give", "legal.user-notices", "users are told"));
            }
        };
        PolicyDocument doc = new PolicyAssembler(List.of(core, legal), Clock.systemUTC()).assemble();
        assertEquals(List.of("owner", "a requesting authority, under an approved legal request"),
                doc.categories().getFirst().readers());
        assertEquals("legal-requests", doc.categories().get(1).name());
        assertEquals(List.of("give"), doc.userNotices().stream().map(UserNoticeStatement::policy).toList());

        PolicyContributor stray = new PolicyContributor() {
            @Override
            public List<DataCategory> categories() {
                return List.of();
            }

            @Override
            public Map<String, List<String>> extraReaders() {
                return Map.of("nothing-like-this", List.of("x"));
            }
        };
        assertThrows(IllegalStateException.class, () -> new PolicyAssembler(List.of(core, stray), Clock.systemUTC()).assemble());
    }

    @Test
    void assembler_withoutANoticeContributor_statesThatThereIsNoRegister() {
        PolicyContributor core = () -> List.of(DataCategory.of("handles", "d", List.of(), "r", List.of("owner"), ""));
        PolicyDocument doc = new PolicyAssembler(List.of(core), Clock.systemUTC()).assemble();
        assertEquals(List.of(PolicyAssembler.NO_REGISTER), doc.userNotices());
        assertEquals("none", doc.userNotices().getFirst().policy());
    }

    @Test
    void assembler_twoContributorsClaimingOneCategory_isAWiringError() {
        PolicyContributor a = () -> List.of(DataCategory.of("same", "d", List.of(), "r", List.of(), ""));
        PolicyAssembler assembler = new PolicyAssembler(List.of(a, a), Clock.systemUTC());
        assertThrows(IllegalStateException.class, assembler::assemble);
    }
}
