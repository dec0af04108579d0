// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** A device as the capability lookup reveals it: enough to address a ciphertext, nothing more. */
public record DeviceInfo(int deviceId, int registrationId) {}
