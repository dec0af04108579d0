// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.time.Instant;

/** A verification code is on its way to {@code handle} (normalised by the server); it expires at {@code expiresAt}. */
public record PendingRegistration(URI serverUrl, String handle, Instant expiresAt) {}
