// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Json;

/** {@code parley keys status} and {@code parley account delete} against the real server. */
class AccountLifecycleCliTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    @Test
    void keysStatus_newDevice_freshSignedKeyAndHundredOneTimeKeys() throws Exception {
        users.register("alice");
        CliRun text = CliRun.ok("keys", "status", "--home", users.home("alice"));
        assertTrue(text.out().contains("one-time prekeys on the server: 100 Curve25519, 100 Kyber"), text.out());

        JsonNode json = Json.lenient().readTree(CliRun.ok("keys", "status", "--home", users.home("alice"), "--json").out());
        assertEquals(100, json.get("preKeysOnServer").asInt());
        assertEquals(172_800, json.get("rotationIntervalSeconds").asInt());
        assertTrue(json.get("signedPreKeyAgeSeconds").asLong() < 3600);
    }

    @Test
    void accountDelete_needsYes_thenTheHandleIsGoneAndRegistersAnew() {
        String alice = users.register("alice");
        users.register("bob");

        CliRun unconfirmed = CliRun.parley("account", "delete", "--home", users.home("alice"));
        assertEquals(1, unconfirmed.exitCode());
        assertTrue(unconfirmed.err().contains("--yes"), unconfirmed.err());
        assertTrue(CliRun.ok("lookup", alice, "--home", users.home("bob")).out().contains("parley"));

        CliRun deleted = CliRun.ok("account", "delete", "--yes", "--home", users.home("alice"));
        assertTrue(deleted.out().contains("deleted " + alice), deleted.out());
        assertTrue(CliRun.ok("lookup", alice, "--home", users.home("bob")).out().contains(alice + " sms"));
        CliRun afterwards = CliRun.parley("send", "x@example.org", "hi", "--home", users.home("alice"));
        assertEquals(1, afterwards.exitCode(), "this home is no longer registered: " + afterwards.err());

        // The handle registers anew, in the same home, and is reachable again.
        CliRun.ok("register", alice, "--server", users.server().url(), "--home", users.home("alice"));
        CliRun.ok("verify", users.server().codeFor(alice), "--home", users.home("alice"));
        CliRun.ok("send", alice, "welcome back", "--home", users.home("bob"));
        assertTrue(CliRun.ok("receive", "--home", users.home("alice")).out().contains("welcome back"));
    }
}
