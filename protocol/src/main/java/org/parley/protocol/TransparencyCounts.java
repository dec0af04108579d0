// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * Counts for one request type in a report period. Each count is text: the exact number, or its
 * band such as {@code 0-249} when the operator configured banding.
 */
public record TransparencyCounts(String type, String received, String rejected, String producedWithData,
                                 String producedWithoutData, String accountsSpecified) {}
