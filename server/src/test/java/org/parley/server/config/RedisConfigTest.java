// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void byDefaultThereIsNoRedis() {
        ServerConfig.Redis r = ConfigLoader.load(null, Map.of()).redis();
        assertFalse(r.enabled());
        assertFalse(r.cluster());
    }

    @Test
    void clusterSeedsComeFromTheEnvironmentAsAList() {
        ServerConfig.Redis r = ConfigLoader.load(null, Map.of(
                "PARLEY_REDIS_URIS", "redis://10.0.0.1:6379, redis://10.0.0.2:6379",
                "PARLEY_REDIS_MODE", "cluster",
                "PARLEY_REDIS_KEY_SECRET", SECRET)).redis();
        assertTrue(r.enabled());
        assertTrue(r.cluster());
        assertEquals(List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379"), r.uris());
        assertFalse(r.toString().contains(SECRET), "the secret must not reach logs through toString");
    }

    @Test
    void misconfigurationsFailStartUpWithTheRule() {
        ConfigException noSecret = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PARLEY_REDIS_URIS", "redis://127.0.0.1:6390")));
        assertTrue(noSecret.getMessage().contains("redis.key-secret"));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
                "PARLEY_REDIS_URIS", "127.0.0.1:6390", "PARLEY_REDIS_KEY_SECRET", SECRET)));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
                "PARLEY_REDIS_URIS", "redis://a:1,redis://b:1", "PARLEY_REDIS_KEY_SECRET", SECRET)));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("PARLEY_REDIS_MODE", "sentinel")));
    }
}
