// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A text frame the server sends on the provisioning WebSocket ({@code /v1/provisioning}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProvisioningFrame.Address.class, name = "address"),
    @JsonSubTypes.Type(value = ProvisioningFrame.Message.class, name = "message"),
})
public sealed interface ProvisioningFrame {
    /** First frame: the id the linking device sends to, and when the socket closes (epoch millis). */
    record Address(String id, long expiresAt) implements ProvisioningFrame {}

    /** The one message (base64 in JSON); the server closes the socket with 1000 right after it. */
    record Message(byte[] body) implements ProvisioningFrame {}
}
