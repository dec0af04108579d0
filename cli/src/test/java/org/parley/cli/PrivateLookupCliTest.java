// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/**
 * {@code parley lookup --private} and {@code parley send --private} against a real server that requires the
 * private lookup ({@code lookup.mode: private}): by default the CLI follows the server's published mode,
 * {@code --no-private} is refused with the server's reason, and a message sent after a private lookup arrives.
 */
class PrivateLookupCliTest {
    @TempDir
    static Path serverDir;
    @TempDir
    Path homes;

    private static ParleyServer server;

    @BeforeAll
    static void start() {
        server = ParleyServer.start(ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_MODE", "private"))
                .withHttp("127.0.0.1", 0, serverDir), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String home(String name) {
        return homes.resolve(name).toString();
    }

    private String register(String name) throws Exception {
        String handle = UserTestServer.freshHandle(name);
        CliRun.ok("register", handle, "--server", "http://127.0.0.1:" + server.port(), "--home", home(name));
        String code = Files.readString(serverDir.resolve("dev-codes").resolve(handle)).strip();
        CliRun.ok("verify", code, "--home", home(name));
        return handle;
    }

    @Test
    void lookupAndSend_privately_findTheAccount_andTheMessageArrives() throws Exception {
        String alice = register("alice");
        String bob = register("bob");
        String nobody = UserTestServer.freshHandle("nobody");

        assertEquals(List.of(bob + " parley devices=1", nobody + " sms"),
                CliRun.ok("lookup", "--private", bob, nobody, "--home", home("alice")).outLines());
        assertEquals(List.of(bob + " parley devices=1"),
                CliRun.ok("lookup", bob, "--home", home("alice")).outLines(), "the default follows lookup.mode: private");

        CliRun.ok("send", "--private", bob, "hello privately", "--home", home("alice"));
        assertEquals(List.of(alice + ": hello privately"), CliRun.ok("receive", "--home", home("bob")).outLines());
    }

    @Test
    void noPrivate_isRefusedByAServerThatRequiresIt() throws Exception {
        register("carol");
        String dave = register("dave");
        CliRun plain = CliRun.parley("lookup", "--no-private", dave, "--home", home("carol"));
        assertNotEquals(0, plain.exitCode());
        assertTrue(plain.err().contains("private"), plain.err());
    }
}
