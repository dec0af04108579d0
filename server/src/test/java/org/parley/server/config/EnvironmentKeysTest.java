// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 4: {@code PARLEY_LOOKUP_LOG_MDOE=off} started the server with the lookup log in mode
 * {@code full}. An unknown {@code PARLEY_*} variable now stops start-up like an unknown key in a file.
 */
class EnvironmentKeysTest {
    @Test
    void load_misspeltVariable_failsNamingItAndTheKeyMeant() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_LOG_MDOE", "off")));
        assertTrue(e.getMessage().startsWith("unknown environment variable PARLEY_LOOKUP_LOG_MDOE (did you mean"
                + " PARLEY_LOOKUP_LOG_MODE, key lookup-log.mode?)"), e.getMessage());
    }

    @Test
    void load_variableWithoutItsSection_suggestsTheKeyItEndsLike() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_PORT", "9000")));
        // server.port and sms.smpp.port both end like it: both are named, server.port first.
        assertTrue(e.getMessage().contains("PARLEY_PORT (did you mean PARLEY_SERVER_PORT, key server.port, or"
                + " PARLEY_SMS_SMPP_PORT, key sms.smpp.port?)"), e.getMessage());
    }

    @Test
    void load_severalUnknown_namesEachAndSuggestsNothingFarFetched() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("PARLEY_ZZZ_NOTHING_LIKE_IT", "1", "PARLEY_AUDIT_RETENTON", "P1Y")));
        assertTrue(e.getMessage().startsWith("unknown environment variables PARLEY_AUDIT_RETENTON (did you mean"
                + " PARLEY_AUDIT_RETENTION, key audit.retention?), PARLEY_ZZZ_NOTHING_LIKE_IT;"), e.getMessage());
    }

    @Test
    void load_launcherAndProgramVariables_areNotConfigurationAndPass() {
        ServerConfig c = ConfigLoader.load(null, Map.of("PARLEY_JAVA_OPTS", "-Xmx1g", "PARLEY_JAVA_HOME", "/usr/lib/jvm/x",
                "PARLEY_JMH_JAVA_OPTS", "", "PARLEY_JMH_SKIP_BUILD", "1", "PARLEY_DEBUG", "1", "PARLEY_DIR", "/tmp/parley",
                "PARLEY_HANDLE", "+12025550123", "PARLEY_CODE", "123456", "PARLEY_LOOKUP_LOG_MODE", "off"));
        assertEquals(LookupLogMode.OFF, c.lookupLog().mode());
    }

    @Test
    void load_otherPrefixesAndCase_areNotOurs() {
        assertEquals(LookupLogMode.FULL, ConfigLoader.load(null, Map.of("PARLEYX", "1", "parley_lookup_log_mdoe", "off",
                "MY_PARLEY_THING", "1")).lookupLog().mode());
    }

    @Test
    void distance_adjacentSwap_countsOnce() {
        assertEquals(1, EnvironmentKeys.distance("MDOE", "MODE"));
        assertEquals(3, EnvironmentKeys.distance("kitten", "sitting"));
        assertFalse(EnvironmentKeys.suggestion("PARLEY_QQQQQQQQ", Map.of("PARLEY_SERVER_PORT", "key server.port"))
                .contains("did you mean"));
    }
}
