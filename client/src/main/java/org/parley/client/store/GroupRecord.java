// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.util.List;
import java.util.UUID;

/**
 * A group as this device knows it.
 *
 * @param revision        raised by every change; a change with a revision not above ours is stale
 * @param distributionId  this device's current sender key of the group
 * @param active          false once we left or were removed (the group stays listed, read-only)
 * @param members         every member account, ourselves included
 */
public record GroupRecord(String id, String name, long revision, UUID distributionId, boolean active,
                          List<GroupMember> members) {
    public GroupRecord {
        members = List.copyOf(members);
    }

    public boolean hasMember(String accountId) {
        return members.stream().anyMatch(m -> m.accountId().equals(accountId));
    }
}
