// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;

/**
 * A sibling device told this one, end-to-end, that it added ({@code added} true) or removed a device
 * of the account.
 */
public record DeviceNoticeEvent(boolean added, int deviceId, int registrationId, int byDeviceId, Instant sentAt)
        implements ReceiveEvent {}
