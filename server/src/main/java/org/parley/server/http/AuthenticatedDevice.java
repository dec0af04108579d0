// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

/** The device a request was authenticated as. */
public record AuthenticatedDevice(String accountId, int deviceId) {}
