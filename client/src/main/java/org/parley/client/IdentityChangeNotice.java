// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;

/**
 * A contact's device now has a different identity key than the one first seen: a reinstall, or someone
 * in the middle. The new key is already in use; the safety number for this device has changed.
 *
 * @param handle the contact's handle when known locally, otherwise null
 */
public record IdentityChangeNotice(String handle, String accountId, int deviceId, Instant changedAt)
        implements ReceiveEvent {}
