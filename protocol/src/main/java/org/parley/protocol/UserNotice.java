// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** A disclosure about the caller's account: the request type, the production date (ISO date) and the categories. */
public record UserNotice(String type, String date, List<String> categories) {}
