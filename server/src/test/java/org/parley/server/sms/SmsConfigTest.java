// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigLoader;

/** The {@code sms} section: off by default, and every bad value stops start-up naming the key. */
class SmsConfigTest {
    private static SmsConfig load(Map<String, String> env) {
        return SmsConfig.from(ConfigLoader.load(null, env));
    }

    private static String refused(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> load(env)).getMessage();
    }

    @Test
    void defaults_smsOff() {
        SmsConfig c = load(Map.of());
        assertFalse(c.fallback());
        assertFalse(c.smppInUse());
        assertEquals(10, c.smpp().submitsPerSecond());
    }

    @Test
    void smppWithoutHostOrSystemId_isRefusedNamingTheKey() {
        assertTrue(refused(Map.of("PARLEY_SMS_GATEWAY", "smpp")).contains("sms.smpp.host"));
        assertTrue(refused(Map.of("PARLEY_VERIFICATION_SENDER", "smpp", "PARLEY_SMS_SMPP_HOST", "h"))
                .contains("sms.smpp.system-id"));
    }

    @Test
    void badValues_areRefused() {
        Map<String, String> base = Map.of("PARLEY_SMS_GATEWAY", "smpp", "PARLEY_SMS_SMPP_HOST", "h",
                "PARLEY_SMS_SMPP_SYSTEM_ID", "id");
        assertTrue(refused(with(base, "PARLEY_SMS_GATEWAY", "http")).contains("sms.gateway"));
        assertTrue(refused(with(base, "PARLEY_SMS_SMPP_PASSWORD", "123456789")).contains("at most 8"));
        assertTrue(refused(with(base, "PARLEY_SMS_RETENTION", "PT1H")).contains("sms.max-queue-time"));
        assertTrue(refused(with(base, "PARLEY_SMS_VERIFICATION_LOG_MODE", "some")).contains("log-mode"));
        assertTrue(refused(with(base, "PARLEY_SMS_SMPP_SUBMITS_PER_SECOND", "0")).contains("submits-per-second"));
        assertTrue(refused(with(base, "PARLEY_SMS_SMPP_TLS", "yes")).contains("true or false"));
        assertTrue(refused(with(base, "PARLEY_SMS_SMPP_PASSWORD_FILE", "/nonexistent/x")).contains("cannot be read"));
    }

    @Test
    void smppPassword_isNeverPrinted() {
        SmsConfig c = load(Map.of("PARLEY_SMS_GATEWAY", "smpp", "PARLEY_SMS_SMPP_HOST", "h",
                "PARLEY_SMS_SMPP_SYSTEM_ID", "id", "PARLEY_SMS_SMPP_PASSWORD", "hunter2"));
        assertFalse(c.toString().contains("hunter2"));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
