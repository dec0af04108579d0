// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void load_noFileNoEnv_givesDocumentedDefaults() {
        ServerConfig c = ConfigLoader.load(null, Map.of());
        assertEquals("127.0.0.1", c.http().host());
        assertEquals(8080, c.http().port());
        assertEquals(LookupLogMode.FULL, c.lookupLog().mode());
        assertEquals(Duration.ofDays(30), c.lookupLog().retention());
        assertEquals(Duration.ofHours(1), c.lookupLog().purgeInterval());
        assertEquals(Duration.ofDays(30), c.messages().ttl());
        assertEquals(1000, c.directory().maxDistinctHandlesPerDay());
        assertEquals(ServerConfig.SenderKind.AUTO, c.verification().sender());
        assertNull(c.http().tlsCertificate());
        assertTrue(c.http().loopbackOnly());
    }

    @Test
    void load_auditRetention_defaultsToTwoYearsAndTakesPeriodsOrDurations() {
        assertEquals(Duration.ofDays(732), ConfigLoader.load(null, Map.of()).audit().retention());
        assertEquals(Duration.ofDays(31 * 6 + 3),
                ConfigLoader.load(null, Map.of("PARLEY_AUDIT_RETENTION", "P6M3D")).audit().retention());
        assertEquals(Duration.ofHours(12),
                ConfigLoader.load(null, Map.of("PARLEY_AUDIT_RETENTION", "PT12H")).audit().retention());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PARLEY_AUDIT_RETENTION", "two years")));
        assertTrue(e.getMessage().contains("audit.retention"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_AUDIT_RETENTION", "P0Y")));
    }

    @Test
    void load_lookupLogWriteBehind_defaultsTo100msAndAcceptsZeroUpToTenSeconds() {
        assertEquals(Duration.ofMillis(100), ConfigLoader.load(null, Map.of()).lookupLog().writeBehind());
        assertEquals(Duration.ZERO,
                ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_LOG_WRITE_BEHIND", "PT0S")).lookupLog().writeBehind());
        for (String bad : List.of("-PT1S", "PT11S", "soon")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_LOG_WRITE_BEHIND", bad)));
            assertTrue(e.getMessage().contains("lookup-log.write-behind"), e.getMessage());
        }
    }

    @Test
    void load_fileThenEnv_envWins() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "lookup-log:\n  mode: no-ip\n  retention: P7D\nserver:\n  port: 9000\n");
        ServerConfig c = ConfigLoader.load(file, Map.of("PARLEY_LOOKUP_LOG_MODE", "truncated-ip",
                "PARLEY_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, ::1"));
        assertEquals(LookupLogMode.TRUNCATED_IP, c.lookupLog().mode());
        assertEquals(Duration.ofDays(7), c.lookupLog().retention());
        assertEquals(9000, c.http().port());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128")), c.http().trustedProxies());
    }

    @Test
    void load_unknownKey_failsNamingIt() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "lookup-log:\n  retension: P7D\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("lookup-log.retension"), e.getMessage());
    }

    @Test
    void load_badValues_failWithTheRule() {
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_LOG_MODE", "some")));
        ConfigException d = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_LOG_RETENTION", "30 days")));
        assertTrue(d.getMessage().contains("ISO-8601"), d.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_SERVER_PORT", "70000")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_SERVER_TLS_CERTIFICATE", "/x.pem")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_SERVER_TRUSTED_PROXIES", "example.org")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_VERIFICATION_SENDER", "command")));
    }

    @Test
    void load_missingFile_failsClearly() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.yaml"), Map.of()));
        assertTrue(e.getMessage().contains("none.yaml"));
    }

    @Test
    void envName_pathWithDashesAndDots_isUpperSnake() {
        assertEquals("PARLEY_LOOKUP_LOG_PURGE_INTERVAL", ConfigLoader.envName("lookup-log.purge-interval"));
    }

    @Test
    void defaultsText_everyKeyCarriesAComment() {
        // The shipped file is the operator's documentation: each setting must be explained.
        String text = ConfigLoader.defaultsText();
        assertTrue(text.lines().filter(l -> l.strip().startsWith("#")).count() > 40);
    }

    @Test
    void load_defaults_storeInSqlite() {
        ServerConfig.Storage storage = ConfigLoader.defaultsOnly().storage();
        assertEquals("sqlite", storage.backend());
        assertTrue(!storage.usesPostgresql());
        assertEquals(10, storage.postgresql().poolSize());
        assertEquals(Duration.ofSeconds(5), storage.postgresql().connectTimeout());
    }

    @Test
    void load_postgresqlFromAFile_bindsTheSection() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                storage:
                  backend: postgresql
                  postgresql:
                    url: jdbc:postgresql://db.internal:5432/parley
                    user: relay
                    password-file: /run/secrets/pg
                    pool-size: 20
                    connect-timeout: PT3S
                """);
        ServerConfig.Storage storage = ConfigLoader.load(file, Map.of("PARLEY_STORAGE_POSTGRESQL_POOL_SIZE", "30")).storage();
        assertTrue(storage.usesPostgresql());
        ServerConfig.Postgresql pg = storage.postgresql();
        assertEquals("jdbc:postgresql://db.internal:5432/parley", pg.url());
        assertEquals("relay", pg.user());
        assertEquals(Path.of("/run/secrets/pg"), pg.passwordFile());
        assertEquals(30, pg.poolSize(), "the environment wins over the file");
        assertEquals(Duration.ofSeconds(3), pg.connectTimeout());
    }

    @Test
    void load_postgresqlMistakes_failWithTheRule() {
        ConfigException noUrl = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PARLEY_STORAGE_BACKEND", "postgresql")));
        assertTrue(noUrl.getMessage().contains("storage.postgresql.url"), noUrl.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_STORAGE_BACKEND", "mysql")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_STORAGE_BACKEND", "postgresql",
                "PARLEY_STORAGE_POSTGRESQL_URL", "postgres://db/parley")));
        ConfigException both = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
                "PARLEY_STORAGE_BACKEND", "postgresql", "PARLEY_STORAGE_POSTGRESQL_URL", "jdbc:postgresql://db/parley",
                "PARLEY_STORAGE_POSTGRESQL_PASSWORD", "s3cret", "PARLEY_STORAGE_POSTGRESQL_PASSWORD_FILE", "/run/pg")));
        assertTrue(!both.getMessage().contains("s3cret"), both.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_STORAGE_POSTGRESQL_POOL_SIZE", "1")));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
                "PARLEY_STORAGE_POSTGRESQL_CONNECT_TIMEOUT", "PT0.1S")));
    }

    @Test
    void postgresqlSettings_toString_neverShowsThePassword() {
        ServerConfig c = ConfigLoader.load(null, Map.of("PARLEY_STORAGE_BACKEND", "postgresql",
                "PARLEY_STORAGE_POSTGRESQL_URL", "jdbc:postgresql://db/parley", "PARLEY_STORAGE_POSTGRESQL_PASSWORD", "s3cret"));
        assertEquals("s3cret", c.storage().postgresql().password());
        assertTrue(!c.toString().contains("s3cret"), c.toString());
    }
}
