// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlesTest {
    @Test
    void normalize_formattedPhone_returnsE164() {
        assertEquals("+12025550143", Handles.normalize(" +1 (202) 555-0143 "));
        assertEquals("+447911123456", Handles.normalize("+44 7911 123456"));
    }

    @Test
    void normalize_mixedCaseEmail_returnsLowerCase() {
        assertEquals("alice@example.org", Handles.normalize("  Alice@Example.ORG "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "12025550143", "+1", "+999123", "alice", "a@b", "a@@b.org", "@b.org",
            "a b@example.org", "alice@-x.org", "+1202555014312345678"})
    void normalize_invalid_throwsInvalidHandle(String raw) {
        assertThrows(InvalidHandleException.class, () -> Handles.normalize(raw));
    }

    @Test
    void normalize_null_throwsInvalidHandle() {
        assertThrows(InvalidHandleException.class, () -> Handles.normalize(null));
    }

    @Property(tries = 300)
    void normalize_anyString_isIdempotentOrRejected(@ForAll @StringLength(max = 40) String raw) {
        if (Handles.isValid(raw)) {
            String once = Handles.normalize(raw);
            assertEquals(once, Handles.normalize(once));
        }
    }
}
