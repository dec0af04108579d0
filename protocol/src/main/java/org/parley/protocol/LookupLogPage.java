// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

public record LookupLogPage(List<LookupLogEntryView> entries) {}
