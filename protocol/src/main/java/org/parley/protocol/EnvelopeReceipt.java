// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

public record EnvelopeReceipt(String accountId, int deviceId, String guid) {}
