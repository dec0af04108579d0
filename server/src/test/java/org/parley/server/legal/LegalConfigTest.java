// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;

/** The {@code legal:} section: the shipped defaults, overrides, and refusals that name the key. */
class LegalConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedMatrix() {
        ServerConfig.Legal legal = ConfigLoader.defaultsOnly().legal();
        LegalMatrix matrix = LegalMatrix.of(legal);
        assertEquals(Set.of(LegalCategory.SUBSCRIBER), matrix.allowed(RequestType.SUBPOENA));
        assertEquals(Set.of(LegalCategory.values()), matrix.allowed(RequestType.COURT_ORDER));
        assertEquals(Set.of(LegalCategory.values()), matrix.allowed(RequestType.SEARCH_WARRANT));
        assertEquals(Set.of(LegalCategory.values()), matrix.allowed(RequestType.EMERGENCY));
        assertEquals(Set.of(LegalCategory.LOOKUP_LOG_BY_TARGET), matrix.allowed(RequestType.PEN_REGISTER));
        assertEquals(Duration.ofDays(90), legal.holdDuration());
        assertEquals(Duration.ofDays(90), legal.holdExtension());
        assertTrue(legal.giveNotices());
        assertEquals(0, legal.reportBand());
        assertTrue(matrix.refusal(RequestType.SUBPOENA, Set.of(LegalCategory.SUBSCRIBER)).isEmpty());
        String why = matrix.refusal(RequestType.SUBPOENA, Set.of(LegalCategory.LOOKUP_LOG_OF_TARGET)).orElseThrow();
        assertTrue(why.contains("lookup-log-of-target") && why.contains("legal.categories.subpoena"), why);
    }

    @Test
    void anOperatorFileAndTheEnvironmentOverride() throws Exception {
        Path file = dir.resolve("parley.yaml");
        Files.writeString(file, "legal:\n  categories:\n    subpoena: [subscriber, lookup-log-of-target]\n"
                + "  user-notices: withhold\n  report-band: 250\n");
        ServerConfig.Legal legal = ConfigLoader.load(file, Map.of("PARLEY_LEGAL_CATEGORIES_PEN_REGISTER", "",
                "PARLEY_LEGAL_HOLD_DURATION", "P30D")).legal();
        LegalMatrix matrix = LegalMatrix.of(legal);
        assertEquals(Set.of(LegalCategory.SUBSCRIBER, LegalCategory.LOOKUP_LOG_OF_TARGET),
                matrix.allowed(RequestType.SUBPOENA));
        assertEquals(Set.of(), matrix.allowed(RequestType.PEN_REGISTER), "an empty list allows nothing");
        assertFalse(legal.giveNotices());
        assertEquals(250, legal.reportBand());
        assertEquals(Duration.ofDays(30), legal.holdDuration());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() throws Exception {
        assertRefused("legal:\n  categories:\n    subpoena: [messages]\n", "legal.categories.subpoena");
        assertRefused("legal:\n  categories:\n    wiretap: [subscriber]\n", "legal.categories.wiretap");
        assertRefused("legal:\n  user-notices: sometimes\n", "legal.user-notices");
        assertRefused("legal:\n  report-band: -1\n", "legal.report-band");
        assertRefused("legal:\n  hold-duration: 90\n", "legal.hold-duration");
    }

    private void assertRefused(String yaml, String key) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        // As at start-up: the loader reads the file, then the legal feature parses its own section.
        ConfigException e = assertThrows(ConfigException.class,
                () -> LegalMatrix.of(ConfigLoader.load(file, Map.of()).legal()));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    /** The legal section is parsed by its feature, yet a bad category still stops start-up before any data is written. */
    @Test
    void start_unknownCategory_refusedNamingTheKeyBeforeTheDataDirectory() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "legal:\n  categories:\n    subpoena: [messages]\n");
        Path data = dir.resolve("data");
        ServerConfig config = ConfigLoader.load(file, Map.of()).withHttp("127.0.0.1", 0, data);
        ConfigException e = assertThrows(ConfigException.class,
                () -> org.parley.server.ParleyServer.start(config, java.time.Clock.systemUTC()));
        assertTrue(e.getMessage().contains("legal.categories.subpoena") && e.getMessage().contains("messages"), e.getMessage());
        assertFalse(Files.exists(data), "nothing is created before the configuration is whole");
    }
}
