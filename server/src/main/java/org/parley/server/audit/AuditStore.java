// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.util.List;

/** Where the audit chain lives. Every method that changes it is one transaction. */
interface AuditStore {
    /** A row as stored, without interpretation: the verifier must see exactly what is on disk. */
    record Row(long seq, long timeMs, String actor, String action, String details, String prevHash, String hash) {}

    /** Where the chain starts and ends. */
    record Chain(long baseSeq, String baseHash, long headSeq, String headHash) {}

    /** Appends an entry after the current head, atomically with moving the head. */
    Row append(long timeMs, String actor, String action, String detailsJson);

    Chain chain();

    /** Rows with {@code seq > afterSeq}, ascending, at most {@code limit}. */
    List<Row> page(long afterSeq, int limit);

    /**
     * The chain row, then every entry in ascending seq order, streamed, all from one consistent
     * snapshot: an append committed meanwhile must not look like a broken chain.
     */
    void walk(ChainVisitor visitor);

    /** Receives the chain row first, then each entry. */
    interface ChainVisitor {
        void start(Chain chain);

        void entry(Row row);
    }

    /**
     * Deletes the oldest entries up to (not past) the first one at or after {@code cutoffMs}, moves the
     * base to the last deleted entry and appends {@code audit.purge} recording the new base, all in one
     * transaction. Returns how many entries went.
     */
    long purgeBefore(long cutoffMs, long nowMs, String retention);
}
