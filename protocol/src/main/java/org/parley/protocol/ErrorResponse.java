// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** The body of every error: a stable machine code and a sentence for people. */
public record ErrorResponse(String error, String message) {}
