// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/** The result of {@link ParleyClient#addDevice}: the new device's id and how many siblings were told. */
public record LinkedDevice(int deviceId, int registrationId, int noticesSent) {}
