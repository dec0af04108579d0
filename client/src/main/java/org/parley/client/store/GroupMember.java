// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

/** A member account of a group, with the handle it was added under (null when unknown). */
public record GroupMember(String accountId, String handle) {}
