// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.time.Instant;
import java.util.List;

/**
 * Disclosures about an account that its owner may see at {@code now}: those whose non-disclosure
 * period (if any) has ended. The legal request register implements this; {@link #NONE} stands in
 * while a server has no register.
 */
public interface DisclosureNotices {
    List<DisclosureNotice> visibleTo(String accountId, Instant now);

    /**
     * For a server without a legal request register: there is no record of any disclosure, so there
     * is nothing to show. This is not a placeholder for hidden data; no table of disclosures exists.
     */
    DisclosureNotices NONE = (accountId, now) -> List.of();
}
