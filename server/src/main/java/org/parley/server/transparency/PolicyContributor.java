// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.util.List;
import java.util.Map;

/**
 * A feature's part of the published policy ({@code GET /.well-known/parley/policy}). Each feature
 * that stores something describes it here, from its configuration, so the policy cannot drift from
 * what the code does. Called once, when the server starts (the policy is served from memory after
 * that): read only the configuration, which does not change while the server runs, never state
 * that does.
 */
public interface PolicyContributor {
    /** The data categories this feature stores. */
    List<DataCategory> categories();

    /** The user-notice policy statements this feature owns (the legal register's notice setting). */
    default List<UserNoticeStatement> userNotices() {
        return List.of();
    }

    /**
     * Readers this feature adds to categories other features describe, by category name: e.g. the
     * legal register adds "a requesting authority, under an approved legal request" to the categories
     * it can disclose. Naming a category nobody describes is a wiring error.
     */
    default Map<String, List<String>> extraReaders() {
        return Map.of();
    }

    /** The configuration values the statements above follow from, key to value as configured. */
    default Map<String, String> settings() {
        return Map.of();
    }
}
