// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.Limits;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.AccountsTestServer;

/**
 * {@code /v1/devices} over real HTTP with real libsignal keys: a one-use provisioning code issued to
 * an authenticated device adds a device under the account's identity key; used, expired and unknown
 * codes, a foreign identity key and a full account are refused with JSON errors; removal deletes the
 * device's credentials.
 */
class DeviceLinkingTest {
    @TempDir
    Path dir;

    private AccountsTestServer server;
    private AccountsTestServer.Device alice;
    private int nextPassword;

    @BeforeEach
    void start() {
        server = AccountsTestServer.start(dir);
        alice = server.register("+12025550101");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String code(String auth) {
        return AccountsTestServer.ok(server.post("/v1/devices/provisioning-codes", null, auth)).get("code").asText();
    }

    /** A registration under {@code identity}'s key with a fresh password. */
    private DeviceRegistration linked(AccountsTestKeys identity, int registrationId) {
        String password = "linked-device-password-" + (nextPassword++) + "-0123456789";
        return new DeviceRegistration(registrationId, password, identity.identityKey(), identity.signedEc(2),
                identity.signedKyber(2));
    }

    private HttpResponse<String> link(String code, DeviceRegistration device) {
        return server.post("/v1/devices", new LinkDeviceRequest(code, device), null);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = AccountsTestServer.parse(response);
        assertEquals(error, body.path("error").asText(), response.body());
        assertTrue(body.path("message").asText().length() > 10, response.body());
    }

    @Test
    void aCode_addsDevice2_whichAuthenticatesAndSeesTheList_andTheCodeIsSpent() {
        String code = code(alice.auth());
        DeviceRegistration device = linked(alice.keys(), 900);
        JsonNode created = AccountsTestServer.ok(link(code, device));
        assertEquals(alice.accountId(), created.get("accountId").asText());
        assertEquals(2, created.get("deviceId").asInt());
        assertEquals(alice.handle(), created.get("handle").asText());

        String auth2 = AccountsTestKeys.basic(alice.accountId(), 2, device.password());
        JsonNode list = AccountsTestServer.ok(server.get("/v1/devices", auth2));
        assertEquals(2, list.get("devices").size());
        assertEquals(900, list.get("devices").get(1).get("registrationId").asInt());
        // The new device's keys are served to others like the primary's.
        assertEquals(900, AccountsTestServer.ok(server.get("/v1/keys/" + alice.accountId() + "/2", alice.auth()))
                .get("devices").get(0).get("registrationId").asInt());

        assertError(link(code, linked(alice.keys(), 901)), 410, "provisioning_code_invalid");
    }

    @Test
    void anExpiredCode_is410() {
        String code = code(alice.auth());
        server.clock.advance(DeviceLinking.CODE_TTL.plus(Duration.ofSeconds(1)));
        assertError(link(code, linked(alice.keys(), 900)), 410, "provisioning_code_expired");
    }

    @Test
    void aForeignIdentityKey_is403_andTheCodeStaysUsable() {
        String code = code(alice.auth());
        assertError(link(code, linked(new AccountsTestKeys(), 900)), 403, "identity_mismatch");
        AccountsTestServer.ok(link(code, linked(alice.keys(), 900)));
    }

    @Test
    void codes_needADeviceLogin_andAreLimitedPerAccount() {
        assertEquals(401, server.post("/v1/devices/provisioning-codes", null, null).statusCode());
        for (int i = 0; i < DeviceLinking.MAX_OUTSTANDING_CODES; i++) {
            code(alice.auth());
        }
        assertError(server.post("/v1/devices/provisioning-codes", null, alice.auth()), 429, "rate_limited");
    }

    @Test
    void aFullAccount_is409_untilADeviceIsRemoved_whoseIdIsThenReused() {
        List<DeviceRegistration> devices = new ArrayList<>();
        for (int id = 2; id <= Limits.MAX_DEVICES_PER_ACCOUNT; id++) {
            DeviceRegistration device = linked(alice.keys(), 900 + id);
            assertEquals(id, AccountsTestServer.ok(link(code(alice.auth()), device)).get("deviceId").asInt());
            devices.add(device);
        }
        String code = code(alice.auth());
        assertError(link(code, linked(alice.keys(), 999)), 409, "too_many_devices");

        String auth3 = AccountsTestKeys.basic(alice.accountId(), 3, devices.get(1).password());
        assertEquals(204, server.send("DELETE", "/v1/devices/3", null, alice.auth()).statusCode());
        assertEquals(401, server.get("/v1/devices", auth3).statusCode(), "a removed device's login stops working");
        assertEquals(404, server.get("/v1/keys/" + alice.accountId() + "/3", alice.auth()).statusCode(),
                "a removed device's keys are gone");
        assertEquals(3, AccountsTestServer.ok(link(code, linked(alice.keys(), 999))).get("deviceId").asInt());
    }

    @Test
    void removal_refusesThePrimaryAndUnknownDevices() {
        assertError(server.send("DELETE", "/v1/devices/1", null, alice.auth()), 403, "primary_device");
        assertError(server.send("DELETE", "/v1/devices/4", null, alice.auth()), 404, "not_found");
        assertError(server.send("DELETE", "/v1/devices/x", null, alice.auth()), 400, "invalid_request");
    }

    @Test
    void reRegistration_voidsOutstandingCodes() {
        String code = code(alice.auth());
        server.register(alice.handle(), alice.keys());
        assertError(link(code, linked(alice.keys(), 900)), 410, "provisioning_code_invalid");
    }
}
