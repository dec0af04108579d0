// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.InvalidCodeResponse;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.StaleDevices;
import org.parley.protocol.StaleDevicesResponse;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidSignature;
import org.parley.server.errors.InvalidState;
import org.parley.server.errors.MismatchedDevices;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.OutsidePolicy;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.ReplacedDevices;
import org.parley.server.errors.SenderFailed;
import org.parley.server.errors.ServiceException;
import org.parley.server.errors.SessionExpired;
import org.parley.server.errors.Unauthenticated;
import org.parley.server.errors.WrongCode;

/**
 * The one place status codes are picked: each kind of refusal keeps the status, body and headers
 * clients saw when services still chose them (docs/protocol.md; the end-to-end tests pin them too).
 */
class ErrorMappingTest {
    @Test
    void statusOf_everyKind_theDocumentedStatus() {
        Map<ServiceException, Integer> expected = Map.ofEntries(
                Map.entry(new InvalidRequest("x"), 400),
                Map.entry(InvalidRequest.handle("x"), 400),
                Map.entry(new Unauthenticated(Unauthenticated.Party.DEVICE, "x"), 401),
                Map.entry(new Forbidden("two_person_rule", "x"), 403),
                Map.entry(new WrongCode("x", 2), 403),
                Map.entry(new NotFound("x"), 404),
                Map.entry(new MismatchedDevices("x", List.of()), 409),
                Map.entry(new InvalidState("x"), 409),
                Map.entry(new ReplacedDevices("x", List.of()), 410),
                Map.entry(new SessionExpired("x"), 410),
                Map.entry(new InvalidSignature("x"), 422),
                Map.entry(new OutsidePolicy("x", "why", 7), 422),
                Map.entry(new RateLimited("x", Duration.ofSeconds(5)), 429),
                Map.entry(new SenderFailed("x"), 503));
        expected.forEach((e, status) -> assertEquals(status, ErrorMapping.statusOf(e).code(), e.getClass().getSimpleName()));
    }

    @Test
    void toHttp_kindsWithData_carryItInTheBody() {
        var mismatch = new DeviceMismatch("acct", List.of(2), List.of(3));
        assertEquals(new MismatchedDevicesResponse("mismatched_devices", "m", List.of(mismatch)),
                ErrorMapping.toHttp(new MismatchedDevices("m", List.of(mismatch))).body());
        var stale = new StaleDevices("acct", List.of(1));
        assertEquals(new StaleDevicesResponse("stale_devices", "m", List.of(stale)),
                ErrorMapping.toHttp(new ReplacedDevices("m", List.of(stale))).body());
        assertEquals(new InvalidCodeResponse("invalid_code", "m", 2), ErrorMapping.toHttp(new WrongCode("m", 2)).body());
        assertEquals(new ErrorMapping.Refusal("outside_policy", "request 7 is recorded as rejected: why", 7),
                ErrorMapping.toHttp(new OutsidePolicy("request 7 is recorded as rejected: why", "why", 7)).body());
        assertEquals(new ErrorResponse("not_found", "no such account"), ErrorMapping.toHttp(new NotFound("no such account")).body());
    }

    @Test
    void toHttp_rateLimitedUnderASecond_retryAfterOne() {
        assertEquals(Map.of("Retry-After", "1"),
                ErrorMapping.toHttp(new RateLimited("x", Duration.ofMillis(200))).headers());
        assertEquals(Map.of("Retry-After", "3600"),
                ErrorMapping.toHttp(new RateLimited("x", Duration.ofHours(1))).headers());
    }

    @Test
    void toHttp_operatorUnauthenticated_bearerChallengeAndDeviceNone() {
        assertEquals(Map.of("WWW-Authenticate", "Bearer realm=\"parley-operator\""),
                ErrorMapping.toHttp(new Unauthenticated(Unauthenticated.Party.OPERATOR, "x")).headers());
        assertEquals(Map.of(), ErrorMapping.toHttp(new Unauthenticated(Unauthenticated.Party.DEVICE, "x")).headers());
        assertInstanceOf(ErrorResponse.class, ErrorMapping.toHttp(new Unauthenticated(Unauthenticated.Party.DEVICE, "x")).body());
    }
}
