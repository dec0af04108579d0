// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

public record BatchLookupRequest(List<String> handles) {
    public BatchLookupRequest {
        handles = Checks.list(handles, "handles", Limits.MAX_HANDLES_PER_LOOKUP);
        if (handles.isEmpty()) {
            throw new IllegalArgumentException("handles must name 1.." + Limits.MAX_HANDLES_PER_LOOKUP + " handles");
        }
    }
}
