// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An account's SMS fallback setting ({@code PUT /v1/me/settings/sms} with {@code {"enabled": true}}).
 * {@code serverEnabled} (answers only) says whether the server offers SMS at all ({@code sms.gateway}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmsSettings(Boolean enabled, Boolean serverEnabled) {
    public SmsSettings {
        Checks.required(enabled, "enabled");
    }
}
