// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

/**
 * One statement of the user-notice policy: whether and when a user is told that data about them
 * was disclosed. {@code policy} is a short machine-readable value (e.g. {@code give},
 * {@code withhold}, {@code none}); {@code configKey} names the setting it comes from, or is empty.
 */
public record UserNoticeStatement(String policy, String configKey, String text) {}
