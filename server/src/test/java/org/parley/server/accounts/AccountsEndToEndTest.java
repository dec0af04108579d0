// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.TestHttp;
import org.parley.server.testing.AccountsTestServer;

/** Registration through the fully wired server, with the development sender that auto selects on loopback. */
class AccountsEndToEndTest {
    @TempDir
    Path dir;

    private final TestHttp http = new TestHttp();

    private HttpResponse<String> send(URI base, String method, String path, Object body, String auth) {
        return http.send(base.getPort(), method, path, body, auth);
    }

    @Test
    void register_withTheDevSender_codeFromTheDataDirectoryCreatesAnAccount() throws Exception {
        try (ParleyServer server = ParleyServer.start(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir),
                Clock.systemUTC())) {
            URI base = server.uri();
            JsonNode session = AccountsTestServer.ok(send(base, "POST", "/v1/verification/sessions",
                    Map.of("handle", "Carol@Example.org"), null));
            Path codeFile = server.config().http().dataDir().resolve("dev-codes").resolve("carol@example.org");
            String code = Files.readString(codeFile).strip();

            AccountsTestKeys keys = new AccountsTestKeys();
            JsonNode account = AccountsTestServer.ok(send(base, "POST", "/v1/accounts",
                    new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(77)), null));

            String auth = keys.basic(account.get("accountId").asText(), 1);
            JsonNode counts = AccountsTestServer.ok(send(base, "GET", "/v1/keys", null, auth));
            assertEquals(0, counts.get("preKeys").asInt());
            assertEquals(77, AccountsTestServer.ok(send(base, "GET", "/v1/keys/" + account.get("accountId").asText() + "/*",
                    null, auth)).get("devices").get(0).get("registrationId").asInt());
        }
    }
}
