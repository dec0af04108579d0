// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.util.ArrayList;
import java.util.List;
import org.parley.client.store.ContactStore;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.Handles;
import org.parley.protocol.Limits;
import org.parley.protocol.LookupResult;
import org.parley.protocol.Route;

/**
 * Capability lookups. Handles are validated locally first, so a typo costs no round trip and no
 * lookup-log entry; every answer refreshes the local contact cache.
 */
final class Directory {
    private final ParleyApi api;
    private final ContactStore contacts;
    /** Non-null: look up privately (OPRF) instead of with the plain endpoints. */
    private final PrivateDirectory privately;

    Directory(ParleyApi api, ContactStore contacts) {
        this(api, contacts, null);
    }

    Directory(ParleyApi api, ContactStore contacts, PrivateDirectory privately) {
        this.api = api;
        this.contacts = contacts;
        this.privately = privately;
    }

    /** One GET for a single handle, batches of at most 100 otherwise; results in input order. */
    List<LookupResult> lookup(List<String> handles) {
        List<String> normalized = handles.stream().map(Handles::normalize).toList();
        List<LookupResult> results = new ArrayList<>(normalized.size());
        if (privately != null) {
            results.addAll(privately.lookup(normalized));
        } else if (normalized.size() == 1) {
            results.add(api.lookup(normalized.getFirst()));
        } else {
            for (int from = 0; from < normalized.size(); from += Limits.MAX_HANDLES_PER_LOOKUP) {
                int to = Math.min(normalized.size(), from + Limits.MAX_HANDLES_PER_LOOKUP);
                results.addAll(api.lookup(normalized.subList(from, to)));
            }
        }
        results.forEach(this::remember);
        return results;
    }

    LookupResult lookup(String handle) {
        return lookup(List.of(handle)).getFirst();
    }

    private void remember(LookupResult result) {
        if (result.route() == Route.PARLEY && result.accountId() != null) {
            contacts.remember(result.handle(), result.accountId());
        } else {
            contacts.forget(result.handle());
        }
    }
}
