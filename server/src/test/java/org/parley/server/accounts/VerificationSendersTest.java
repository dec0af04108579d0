// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.config.ServerConfig.SenderKind;
import org.parley.server.testing.AccountsTestServer;
import org.parley.server.errors.SenderFailed;

class VerificationSendersTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    private ServerConfig config(String host, SenderKind kind, String command) {
        ServerConfig base = ConfigLoader.defaultsOnly().withHttp(host, 0, dir);
        ServerConfig.Verification v = base.verification();
        return AccountsTestServer.withVerification(base, new ServerConfig.Verification(kind, command, v.codeTtl(),
                v.maxAttempts(), v.maxSessionsPerHour()));
    }

    @Test
    void devSender_send_printsAndWritesAPrivateFile() throws Exception {
        DevVerificationSender sender = new DevVerificationSender(dir, out);
        sender.send("+12025550143", "123456");
        sender.send("+12025550143", "654321");

        Path file = dir.resolve("dev-codes").resolve("+12025550143");
        assertEquals("654321\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("[dev] verification code for +12025550143: 654321"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void devSender_handleWithSlash_staysInTheDirectory() throws Exception {
        DevVerificationSender sender = new DevVerificationSender(dir, out);
        sender.send("a/../../x@example.org", "111111");
        assertEquals("111111\n", Files.readString(dir.resolve("dev-codes").resolve("a%2F..%2F..%2Fx@example.org")));
    }

    @Test
    void commandSender_exitZero_getsHandleAndCodeInItsEnvironment() throws Exception {
        Path out = dir.resolve("sent");
        new CommandVerificationSender("printf '%s %s' \"$PARLEY_HANDLE\" \"$PARLEY_CODE\" > '" + out + "'", Duration.ofSeconds(30))
                .send("bob@example.org", "424242");
        assertEquals("bob@example.org 424242", Files.readString(out));
    }

    @Test
    void commandSender_nonZeroExit_503SenderFailed() {
        SenderFailed e = assertThrows(SenderFailed.class,
                () -> new CommandVerificationSender("exit 3", Duration.ofSeconds(30)).send("bob@example.org", "1"));
        assertEquals("sender_failed", e.error());
    }

    @Test
    void commandSender_overTimeout_killedAnd503() {
        long start = System.nanoTime();
        SenderFailed e = assertThrows(SenderFailed.class,
                () -> new CommandVerificationSender("sleep 20", Duration.ofMillis(300)).send("bob@example.org", "1"));
        assertEquals("sender_failed", e.error());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void forConfig_autoOnLoopback_dev() {
        assertInstanceOf(DevVerificationSender.class, VerificationSenders.forConfig(config("127.0.0.1", SenderKind.AUTO, ""), out));
        assertInstanceOf(DevVerificationSender.class, VerificationSenders.forConfig(config("localhost", SenderKind.DEV, ""), out));
    }

    @Test
    void forConfig_autoOnPublicAddress_refusesToStart() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> VerificationSenders.forConfig(config("0.0.0.0", SenderKind.AUTO, ""), out));
        assertTrue(e.getMessage().contains("verification.sender is auto but the server listens on 0.0.0.0"), e.getMessage());
    }

    @Test
    void forConfig_devOnPublicAddress_refusesToStart() {
        assertThrows(ConfigException.class, () -> VerificationSenders.forConfig(config("203.0.113.7", SenderKind.DEV, ""), out));
    }

    @Test
    void forConfig_commandWithoutCommand_refusesToStart() {
        assertThrows(ConfigException.class, () -> VerificationSenders.forConfig(config("0.0.0.0", SenderKind.COMMAND, " "), out));
        assertInstanceOf(CommandVerificationSender.class,
                VerificationSenders.forConfig(config("0.0.0.0", SenderKind.COMMAND, "true"), out));
    }
}
