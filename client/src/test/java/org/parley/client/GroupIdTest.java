// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Group ids are typed on command lines: none may start with '-', and they stay 32 random bytes. */
class GroupIdTest {
    @Test
    void groupIds_neverStartWithADash_andDecodeTo32Bytes() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String id = GroupService.newGroupId(random);
            assertFalse(id.startsWith("-"), id);
            assertEquals(32, Base64.getUrlDecoder().decode(id).length);
            seen.add(id);
        }
        assertEquals(5_000, seen.size());
    }
}
