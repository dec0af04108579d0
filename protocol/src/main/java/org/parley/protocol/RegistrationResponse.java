// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

public record RegistrationResponse(String accountId, int deviceId, String handle) {}
