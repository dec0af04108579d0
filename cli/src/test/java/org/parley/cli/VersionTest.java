// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Json;

/**
 * {@code --version} names the build, not "development build" (issue 9, item 13): Maven's project
 * version and the git commit, with {@code --json} as one object.
 */
class VersionTest {
    /** The version Maven passes to the tests (the surefire configuration sets it). */
    private static final String PROJECT_VERSION = System.getProperty("parley.project.version");

    @Test
    void version_printsProjectVersionAndCommit() throws Exception {
        CliRun run = CliRun.parley("--version");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("parley " + PROJECT_VERSION + " (commit " + expectedCommit() + ")\n", run.out());
    }

    @Test
    void version_json_printsOneObject() throws Exception {
        CliRun run = CliRun.parley("--version", "--json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode node = Json.lenient().readTree(run.out());
        assertEquals(PROJECT_VERSION, node.get("version").asText());
        assertEquals(expectedCommit(), node.get("commit").asText());
        assertEquals(2, node.size());
    }

    @Test
    void version_ofSubcommand_isTheSame() {
        assertEquals(CliRun.parley("--version").out(), CliRun.parley("send", "--version").out());
        assertEquals(CliRun.parley("--version").out(), CliRun.parley("admin", "token", "list", "--version").out());
    }

    @Test
    void version_isNotTheDevelopmentPlaceholder() {
        assertTrue(PROJECT_VERSION != null && !PROJECT_VERSION.isBlank(), "surefire must pass parley.project.version");
        assertTrue(!CliRun.parley("--version").out().contains("development build"));
    }

    /** What git says HEAD is, or "unknown" when the source tree has no .git (the build's rule, cli/pom.xml). */
    private static String expectedCommit() throws IOException, InterruptedException {
        // Surefire runs in the module directory, cli/.
        if (!Files.exists(Path.of("..", ".git"))) {
            return "unknown";
        }
        Process git;
        try {
            git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(false).start();
        } catch (IOException e) {
            return "unknown";
        }
        String out = new String(git.getInputStream().readAllBytes()).strip();
        assertTrue(git.waitFor(30, TimeUnit.SECONDS));
        return git.exitValue() == 0 ? out : "unknown";
    }
}
