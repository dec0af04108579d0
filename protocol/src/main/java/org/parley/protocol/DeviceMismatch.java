// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** For a 409: which devices of an account a send left out, and which it named that do not exist. */
public record DeviceMismatch(String accountId, List<Integer> missingDevices, List<Integer> extraDevices) {}
