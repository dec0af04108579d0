// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.util.List;
import java.util.Map;

/**
 * The published data policy, built from the configuration once, when the server starts.
 *
 * @param version       the document's format version
 * @param generatedAt   when this server process generated it (ISO-8601 UTC)
 * @param settings      the configuration values the statements follow from
 * @param categories    every kind of data the server keeps (or, when so configured, does not)
 * @param userNotices   whether and when users are told about disclosures of their data
 * @param subjectAccess how a user gets a copy of what is held about them
 */
record PolicyDocument(int version, String generatedAt, Map<String, String> settings,
                             List<DataCategory> categories, List<UserNoticeStatement> userNotices,
                             String subjectAccess) {
    public static final int VERSION = 1;
}
