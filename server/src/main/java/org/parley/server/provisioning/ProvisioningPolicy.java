// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.provisioning;

import java.util.List;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;

/** Provisioning's part of the published policy: it holds a waiting socket in memory and stores nothing. */
final class ProvisioningPolicy implements PolicyContributor {
    @Override
    public List<DataCategory> categories() {
        return List.of(DataCategory.of("provisioning-relay", "A new device waits on an unauthenticated WebSocket for"
                        + " one message from a device of the account it joins. The message is end-to-end encrypted"
                        + " (HPKE) to a key only the new device holds; the server passes it on and keeps nothing.",
                List.of(new DataField("provisioning id", "random, in memory only, while the socket waits"),
                        new DataField("message", "opaque ciphertext, held only while it is written to the socket")),
                "in memory while the socket is open, at most " + ProvisioningRelay.TTL + "; never written to disk",
                List.of("the device that opened the socket", "whoever operates the server host (process memory)"),
                "The server sees which authenticated device sends to which waiting socket, and the new device's"
                        + " IP address as any connection does."));
    }
}
