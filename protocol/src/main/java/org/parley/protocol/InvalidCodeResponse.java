// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

public record InvalidCodeResponse(String error, String message, int attemptsRemaining) {}
