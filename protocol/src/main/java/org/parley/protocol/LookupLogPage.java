// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * A page of the operator's lookup-log view.
 *
 * @param note null, or what the filter could not match: with a {@code handle} filter, that private
 *             lookups (bucket fetches, which never name a handle) are not and cannot be included
 */
public record LookupLogPage(List<LookupLogEntryView> entries, String note) {
    public LookupLogPage(List<LookupLogEntryView> entries) {
        this(entries, null);
    }
}
