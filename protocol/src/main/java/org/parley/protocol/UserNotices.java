// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** {@code GET /v1/me/notices}. */
public record UserNotices(List<UserNotice> notices) {}
