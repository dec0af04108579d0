// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.time.LocalDate;
import java.util.List;

/**
 * A disclosure of an account's data that its owner may now see: what kind of request it was
 * ({@code type}, e.g. {@code subpoena}), when the data was disclosed (a day, no finer) and which
 * data categories (as named in the policy) were disclosed.
 */
public record DisclosureNotice(String type, LocalDate date, List<String> categories) {
    public DisclosureNotice {
        categories = List.copyOf(categories);
    }
}
