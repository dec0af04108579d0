// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The capability answer for one handle. accountId and devices are present only for route parley. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LookupResult(String handle, Route route, String accountId, List<DeviceInfo> devices) {
    public static LookupResult sms(String handle) {
        return new LookupResult(handle, Route.SMS, null, null);
    }
}
