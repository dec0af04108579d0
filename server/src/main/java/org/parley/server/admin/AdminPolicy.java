// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.util.List;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;

/** The admin feature's part of the published policy: operator tokens and what each role may read. */
final class AdminPolicy implements PolicyContributor {
    @Override
    public List<DataCategory> categories() {
        return List.of(DataCategory.of("operator-tokens", "Credentials of the people operating this server. No user data.",
                List.of(new DataField("name", "the operator's token name, used as the actor in the audit log"),
                        new DataField("token_hash", "SHA-256 of the token; the token itself is never stored"),
                        new DataField("role", "admin, legal-reviewer or auditor"),
                        new DataField("created_at, revoked_at", "when it was issued and, if so, revoked")),
                "indefinitely: revoked tokens stay listed (never usable again) so the audit log's actors stay identifiable",
                List.of("whoever operates the server host (parley admin token list)"),
                "Roles: admin reads the raw lookup log and the audit log; legal-reviewer works lawful requests through"
                        + " the legal register only and has no raw lookup-log access; auditor reads and verifies the"
                        + " audit log and no user data."));
    }
}
