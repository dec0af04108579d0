// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;
import java.util.List;
import org.parley.client.store.IdentityKeyChange;
import org.parley.client.store.LocalState;

/** Turns identity changes the store recorded into notices with handles, each reported once. */
final class IdentityChanges {
    private IdentityChanges() {}

    static List<IdentityChangeNotice> drain(LocalState state) {
        List<IdentityKeyChange> changes = state.protocolStore().unreportedIdentityChanges();
        if (changes.isEmpty()) {
            return List.of();
        }
        List<IdentityChangeNotice> notices = changes.stream()
                .map(c -> new IdentityChangeNotice(state.contacts().handleOf(c.name()).orElse(null), c.name(),
                        c.deviceId(), Instant.ofEpochMilli(c.changedAt())))
                .toList();
        state.protocolStore().markIdentityChangesReported(changes);
        return notices;
    }
}
