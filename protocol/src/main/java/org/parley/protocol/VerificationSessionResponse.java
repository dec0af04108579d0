// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

public record VerificationSessionResponse(String sessionId, String handle, long expiresAt) {}
