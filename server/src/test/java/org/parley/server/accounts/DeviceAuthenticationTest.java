// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.AccountsTestServer;
import org.parley.server.testing.AccountsTestServer.Device;
import org.parley.server.errors.Unauthenticated;

class DeviceAuthenticationTest {
    @TempDir
    Path dir;
    AccountsTestServer server;
    DeviceAuthenticator auth;
    Device device;

    @BeforeEach
    void start() {
        server = AccountsTestServer.start(dir);
        auth = server.accounts.authenticator();
        device = server.register("alice@example.org");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static WritableHeaders<?> headers(String authorization) {
        WritableHeaders<?> headers = WritableHeaders.create();
        if (authorization != null) {
            headers.set(HeaderNames.AUTHORIZATION, authorization);
        }
        return headers;
    }

    private Unauthenticated rejected(String authorization) {
        return assertThrows(Unauthenticated.class, () -> auth.authenticate(headers(authorization)));
    }

    @Test
    void authenticate_rightPassword_returnsTheDevice() {
        assertEquals(new AuthenticatedDevice(device.accountId(), 1), auth.authenticate(headers(device.auth())));
        // Again, now from the cache.
        assertEquals(new AuthenticatedDevice(device.accountId(), 1), auth.authenticate(headers(device.auth())));
    }

    @Test
    void authenticate_wrongPasswordOrUnknownAccountOrDevice_401WithOneMessage() {
        Unauthenticated wrongPassword = rejected(AccountsTestKeys.basic(device.accountId(), 1, "x".repeat(24)));
        Unauthenticated unknownAccount = rejected(AccountsTestKeys.basic("5b0c0000-0000-4000-8000-000000000000", 1,
                device.keys().password()));
        Unauthenticated unknownDevice = rejected(device.keys().basic(device.accountId(), 2));
        assertEquals(Unauthenticated.Party.DEVICE, wrongPassword.party());
        assertEquals("unauthorized", wrongPassword.error());
        assertEquals(wrongPassword.getMessage(), unknownAccount.getMessage());
        assertEquals(wrongPassword.getMessage(), unknownDevice.getMessage());
    }

    @Test
    void authenticate_missingOrMalformedHeader_401() {
        assertEquals("unauthorized", rejected(null).error());
        assertEquals("unauthorized", rejected("Bearer abc").error());
        assertEquals("unauthorized", rejected("Basic !!!not-base64").error());
        assertEquals("unauthorized", rejected("Basic " + java.util.Base64.getEncoder().encodeToString("no-device:pw".getBytes())).error());
        assertEquals("unauthorized", rejected("Basic " + java.util.Base64.getEncoder().encodeToString("acct.x:pw".getBytes())).error());
    }

    @Test
    void authenticate_overHttpWithoutCredentials_401Json() {
        var response = server.get("/v1/keys", null);
        assertEquals(401, response.statusCode());
        assertEquals("unauthorized", AccountsTestServer.parse(response).get("error").asText());
    }

    @Test
    void authenticate_onALaterDay_recordsLastSeenDayOncePerDay() {
        long registrationDay = AccountsTestServer.START.toEpochMilli() / 86_400_000L;
        auth.authenticate(headers(device.auth()));
        assertEquals(registrationDay, lastSeenDay());

        server.clock.advance(Duration.ofDays(1));
        auth.authenticate(headers(device.auth()));
        assertEquals(registrationDay + 1, lastSeenDay());

        // Seen again the same day, past the cache lifetime: still that day, stored as a day, not a time.
        server.clock.advance(Duration.ofHours(3));
        auth.authenticate(headers(device.auth()));
        assertEquals(registrationDay + 1, lastSeenDay());
    }

    private long lastSeenDay() {
        return server.database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT last_seen_day FROM devices WHERE account_id = ?")) {
                s.setString(1, device.accountId());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
