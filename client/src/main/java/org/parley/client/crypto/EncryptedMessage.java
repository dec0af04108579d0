// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import org.parley.protocol.MessageType;

/**
 * One ciphertext for one remote device, with the registration id of the session it was made with (the
 * server checks it to detect a reinstalled device).
 */
public record EncryptedMessage(int deviceId, int registrationId, MessageType type, byte[] content) {}
