// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server per test class and a fresh directory of homes per test, for the CLI tests: register
 * it as {@code @RegisterExtension static final CliUsers users = new CliUsers();}. Handles are fresh, so
 * the tests of a class share the server without seeing each other's users.
 */
final class CliUsers implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private Path serverDir;
    private UserTestServer server;
    private Path homes;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        serverDir = Files.createTempDirectory("parley-cli-server");
        server = UserTestServer.start(serverDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            server.close();
        } finally {
            deleteTree(serverDir);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        homes = Files.createTempDirectory("parley-cli-homes");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        deleteTree(homes);
    }

    UserTestServer server() {
        return server;
    }

    /** The directory this test's homes live in (empty when the test starts). */
    Path homes() {
        return homes;
    }

    /** The home directory of {@code name} in this test, as the {@code --home} argument. */
    String home(String name) {
        return homes.resolve(name).toString();
    }

    /** A fresh handle registered and verified through {@code parley register} and {@code parley verify} in {@code home(name)}. */
    String register(String name) {
        String handle = UserTestServer.freshHandle(name);
        CliRun register = CliRun.parley("register", handle, "--server", server.url(), "--home", home(name));
        assertEquals(0, register.exitCode(), register.err());
        CliRun verify = CliRun.parley("verify", server.codeFor(handle), "--home", home(name));
        assertEquals(0, verify.exitCode(), verify.err());
        return handle;
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            // A file the server removed while the walk listed its directory is already gone.
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
        }
    }
}
