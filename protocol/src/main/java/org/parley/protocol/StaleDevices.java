// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** For a 410: devices whose registration id changed since the sender looked them up. */
public record StaleDevices(String accountId, List<Integer> staleDevices) {}
