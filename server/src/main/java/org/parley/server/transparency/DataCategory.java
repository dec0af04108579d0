// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.util.List;
import java.util.Objects;

/**
 * One kind of data the server keeps, as the published policy states it.
 *
 * @param name        short stable identifier, e.g. {@code lookup-log}
 * @param description what it is and why it is kept
 * @param recorded    false when the current configuration keeps none of it (e.g. lookup-log mode off)
 * @param fields      the stored fields under the current configuration (empty when not recorded)
 * @param retention   how long it is kept, derived from the configuration (ISO-8601 where it is a period)
 * @param readers     who can read it and through what
 * @param notes       anything else a user should know (may be empty)
 */
public record DataCategory(String name, String description, boolean recorded, List<DataField> fields,
                           String retention, List<String> readers, String notes) {
    public DataCategory {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        fields = List.copyOf(fields);
        Objects.requireNonNull(retention, "retention");
        readers = List.copyOf(readers);
        notes = notes == null ? "" : notes;
    }

    /** A category that is kept. */
    public static DataCategory of(String name, String description, List<DataField> fields, String retention,
                                  List<String> readers, String notes) {
        return new DataCategory(name, description, true, fields, retention, readers, notes);
    }

    /** A category the current configuration does not record at all. */
    public static DataCategory notRecorded(String name, String description, String why) {
        return new DataCategory(name, description, false, List.of(), "not recorded", List.of(), why);
    }
}
