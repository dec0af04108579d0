// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.StaleDevices;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.errors.InvalidRequest;

class DeviceCoverageTest {
    private static DeviceRecord device(int id) {
        return new DeviceRecord(id, 1000 + id, new byte[] {5});
    }

    private static OutgoingMessage to(int id, int registrationId) {
        return new OutgoingMessage(id, registrationId, MessageType.SIGNAL, new byte[] {1});
    }

    @Property
    void mismatch_listsExactlyTheSetDifferences(
            @ForAll @Size(max = 6) @UniqueElements List<@IntRange(min = 1, max = 10) Integer> expectedIds,
            @ForAll @Size(max = 6) @UniqueElements List<@IntRange(min = 1, max = 10) Integer> givenIds) {
        List<DeviceRecord> expected = expectedIds.stream().map(DeviceCoverageTest::device).toList();
        List<OutgoingMessage> given = givenIds.stream().map(id -> to(id, 1000 + id)).toList();

        Optional<DeviceMismatch> result = DeviceCoverage.mismatch("acct", expected, given);

        Set<Integer> missing = new HashSet<>(expectedIds);
        missing.removeAll(givenIds);
        Set<Integer> extra = new HashSet<>(givenIds);
        extra.removeAll(expectedIds);
        if (missing.isEmpty() && extra.isEmpty()) {
            assertTrue(result.isEmpty());
        } else {
            assertEquals(missing.stream().sorted().toList(), result.orElseThrow().missingDevices());
            assertEquals(extra.stream().sorted().toList(), result.orElseThrow().extraDevices());
            assertEquals("acct", result.orElseThrow().accountId());
        }
        // Matching registration ids are never stale.
        assertTrue(DeviceCoverage.stale("acct", expected, given).isEmpty());
    }

    @Test
    void stale_namesDevicesWhoseRegistrationIdChanged() {
        Optional<StaleDevices> stale = DeviceCoverage.stale("acct", List.of(device(1), device(2), device(3)),
                List.of(to(3, 1), to(1, 1001), to(2, 7)));

        assertEquals(List.of(2, 3), stale.orElseThrow().staleDevices());
    }

    @Test
    void requireDistinct_sameDeviceTwice_isABadRequest() {
        assertThrows(InvalidRequest.class,
                () -> DeviceCoverage.requireDistinct(List.of(to(2, 1), to(2, 1)), "messages"));
    }

    @Test
    void without_dropsTheSendingDevice() {
        assertEquals(List.of(1, 3), DeviceCoverage.without(List.of(device(1), device(2), device(3)), 2).stream()
                .map(DeviceRecord::deviceId).toList());
    }
}
