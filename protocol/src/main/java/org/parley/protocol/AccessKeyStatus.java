// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code GET /v1/me/access-key}: whether this account uploaded an unidentified access key (without one it
 * receives no sealed messages) and whether it accepts sealed messages without the key. Never the key.
 */
public record AccessKeyStatus(boolean accessKeySet, boolean unrestricted) {}
