// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** One-time keys a device has left on the server. */
public record PreKeyCounts(int preKeys, int pqPreKeys) {}
