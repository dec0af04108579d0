// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.DeliveryFeature;
import org.parley.server.delivery.WsTestClient;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.DataFiles;
import org.parley.testing.Eventually;
import org.parley.testing.TestClock;
import org.parley.server.testing.TestHttp;

/**
 * Issue 9 item 5, "deleted must mean gone", for envelopes and verification sessions (the lookup
 * log and the audit log are {@code PurgeLeavesNoTraceTest}'s): an acknowledged envelope and an
 * expired verification session leave no byte sequence of theirs in any file under the data
 * directory, once the purge has run (while the server runs) and after a clean stop.
 */
class DeletedDataLeavesNoTraceTest {
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    private final TestHttp http = new TestHttp();
    private final TestClock clock = new TestClock(START);

    @Test
    void ack_envelopeContent_goneFromEveryFileAfterThePurgeAndAfterStop() throws Exception {
        byte[] content = new byte[512];
        new Random(42).nextBytes(content);
        byte[] probe = DataFiles.window(content, 100, 32);
        ParleyServer server = ParleyServer.start(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir), clock);
        Path data = server.config().http().dataDir();
        try {
            String[] alice = register(server, "alice@example.org");
            String[] bob = register(server, "bob@example.org");
            TestHttp.ok(http.send(server.port(), "PUT", "/v1/messages/" + bob[0], new SendMessageRequest(
                    START.toEpochMilli(), List.of(new OutgoingMessage(1, 100, MessageType.PREKEY, content)), List.of()), alice[1]));
            server.purgeNow();
            assertEquals(List.of(data.resolve("parley.db")), DataFiles.containing(data, probe), "queued, the envelope is on disk");

            try (WsTestClient bobWs = WsTestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + DeliveryFeature.PATH), bob[1])) {
                Frame.EnvelopeFrame frame = bobWs.nextEnvelope();
                assertArrayEquals(content, frame.envelope().content());
                bobWs.ack(frame.envelope().guid());
                Eventually.eventually(() -> count(server, "messages") == 0, Duration.ofSeconds(10), "the ack deletes the envelope");
            }
            server.purgeNow();
            assertEquals(List.of(), DataFiles.containing(data, probe), "while running, after the purge");
        } finally {
            server.close();
        }
        assertEquals(List.of(), DataFiles.containing(data, probe), "after a clean stop");
    }

    @Test
    void purge_expiredVerificationSession_handleGoneFromEveryFileWhileRunningAndAfterStop() {
        // The command sender (a no-op here): the development sender would keep the code in a file named after the handle.
        ServerConfig config = ConfigLoader.load(null, Map.of("PARLEY_VERIFICATION_SENDER", "command",
                "PARLEY_VERIFICATION_COMMAND", "true")).withHttp("127.0.0.1", 0, dir);
        String handle = "never-verified-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        ParleyServer server = ParleyServer.start(config, clock);
        Path data = server.config().http().dataDir();
        try {
            TestHttp.ok(http.send(server.port(), "POST", "/v1/verification/sessions", Map.of("handle", handle), null));
            server.purgeNow();
            assertFalse(DataFiles.containing(data, handle).isEmpty(), "the open session is on disk");

            // Past the code's lifetime and the hour the hourly limit counts sessions for.
            clock.advance(Duration.ofHours(2));
            server.purgeNow();
            assertEquals(0, count(server, "verification_sessions"));
            assertEquals(List.of(), DataFiles.containing(data, handle), "while running, after the purge");
        } finally {
            server.close();
        }
        assertEquals(List.of(), DataFiles.containing(data, handle), "after a clean stop");
    }

    /** Registers {@code handle} with the development sender's code; returns {accountId, Basic auth}. */
    private String[] register(ParleyServer server, String handle) throws Exception {
        JsonNode session = TestHttp.ok(http.send(server.port(), "POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String code = Files.readString(server.config().http().dataDir().resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = TestHttp.ok(http.send(server.port(), "POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(100)), null));
        String accountId = account.get("accountId").asText();
        return new String[] {accountId, keys.basic(accountId, account.get("deviceId").asInt())};
    }

    private static long count(ParleyServer server, String table) {
        return server.database().read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
