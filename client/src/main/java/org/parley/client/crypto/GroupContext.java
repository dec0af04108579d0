// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The group part of a plaintext. On a group message only {@code id} is set. On a group update (sent
 * 1:1 to every member device) it carries the whole new state: {@code revision}, {@code name},
 * {@code members} and what changed; on a sender-key distribution only {@code id}.
 *
 * @param id       32 random bytes, base64url without padding
 * @param change   created, renamed, added, removed or left
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupContext(String id, Long revision, String name, List<Member> members, String change) {
    /** A member account, with the handle the group's creator or adder knew it by. */
    public record Member(String accountId, String handle) {}

    public static GroupContext ref(String id) {
        return new GroupContext(id, null, null, null, null);
    }
}
