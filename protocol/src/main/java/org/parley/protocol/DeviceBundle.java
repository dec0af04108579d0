// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Everything needed to start a PQXDH session with one device. {@code preKey} is null when the device ran out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceBundle(
        int deviceId,
        int registrationId,
        byte[] identityKey,
        SignedPreKey signedPreKey,
        PreKey preKey,
        SignedPreKey pqPreKey) {}
