// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.parley.client.transport.ProvisioningSocket;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

/**
 * A new device waiting to be linked: its open provisioning socket and the ephemeral key the link
 * message is sealed to (in memory only; it dies with this object). Show {@link #code()}, then call
 * {@link ParleyClient#completeLink}.
 */
public final class PendingLink implements AutoCloseable {
    private final LinkCode code;
    private final Instant expiresAt;
    final ProvisioningSocket socket;
    final ECPrivateKey ephemeral;
    final List<URI> servers;

    PendingLink(LinkCode code, Instant expiresAt, ProvisioningSocket socket, ECPrivateKey ephemeral, List<URI> servers) {
        this.code = code;
        this.expiresAt = expiresAt;
        this.socket = socket;
        this.ephemeral = ephemeral;
        this.servers = servers;
    }

    public LinkCode code() {
        return code;
    }

    /** When the server closes the socket if no device sent the link message. */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public void close() {
        socket.close();
    }
}
