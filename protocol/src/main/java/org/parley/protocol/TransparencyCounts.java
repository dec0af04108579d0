// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * Counts for one request type in a report period, as JSON numbers. When the report's {@code band} is
 * 0 they are exact; otherwise each is the lower bound of its band ({@code 250} with band 250 means
 * 250 to 499, {@code 0} means 0 to 249), so no exact count is published.
 */
public record TransparencyCounts(String type, long received, long rejected, long producedWithData,
                                 long producedWithoutData, long accountsSpecified) {}
