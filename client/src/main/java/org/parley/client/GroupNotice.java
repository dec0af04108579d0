// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * A member changed a group: created it with us in it, renamed it, added or removed members, left.
 *
 * @param groupName the group's name after the change
 * @param change    what happened, in words ("added bob@example.org", "removed you", "left the group")
 */
public record GroupNotice(String groupId, String groupName, String byHandle, String byAccountId, String change)
        implements ReceiveEvent {}
