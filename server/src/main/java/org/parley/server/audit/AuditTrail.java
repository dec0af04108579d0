// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.parley.protocol.AuditVerificationReport;

/**
 * Reading the audit log: pages for the auditor and the chain check. There is deliberately no way
 * to delete or change entries here; only the retention purge removes the oldest ones.
 */
public final class AuditTrail {
    /** Largest page {@link #page} returns. */
    public static final int MAX_PAGE = 1_000;

    private final AuditStore store;

    AuditTrail(AuditStore store) {
        this.store = store;
    }

    /** Entries with {@code seq > afterSeq}, oldest first, at most {@code limit} (1..{@link #MAX_PAGE}). */
    public List<AuditEntry> page(long afterSeq, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be in 1.." + MAX_PAGE);
        }
        List<AuditEntry> out = new ArrayList<>();
        for (AuditStore.Row row : store.page(afterSeq, limit)) {
            out.add(entry(row));
        }
        return out;
    }

    /** The seq of the newest entry (0 when nothing was ever appended). */
    public long headSeq() {
        return store.chain().headSeq();
    }

    /**
     * Walks the chain from its base to its head and reports the first entry that does not fit: its
     * content does not hash to its stored hash (edited, or moved from another position), its
     * prev_hash is not the previous entry's hash, a seq is missing (deleted), or the newest entry is
     * not the recorded head (entries removed from the end).
     */
    public AuditVerificationReport verify() {
        Walk walk = new Walk();
        store.walk(walk);
        return walk.finish();
    }

    static AuditEntry entry(AuditStore.Row row) {
        return new AuditEntry(row.seq(), Instant.ofEpochMilli(row.timeMs()), row.actor(), row.action(),
                AuditHashing.parseDetails(row.details()), row.prevHash(), row.hash());
    }

    /** The state of one verification pass; stops judging at the first break. */
    private static final class Walk implements AuditStore.ChainVisitor {
        private AuditStore.Chain chain;
        private long expectedSeq;
        private String expectedPrev;
        private long checked;
        private Long brokenAt;
        private String problem;
        private AuditStore.Row lastPurge;

        @Override
        public void start(AuditStore.Chain chain) {
            this.chain = chain;
            this.expectedSeq = chain.baseSeq() + 1;
            this.expectedPrev = chain.baseHash();
        }

        @Override
        public void entry(AuditStore.Row row) {
            if (brokenAt != null) {
                return;
            }
            if (row.seq() < expectedSeq) {
                fail(row.seq(), "entry " + row.seq() + " is at or below the chain's base (seq " + chain.baseSeq()
                        + "), so it should have been purged: the base was moved forward by hand");
                return;
            }
            if (row.seq() > expectedSeq) {
                fail(expectedSeq, "entry " + expectedSeq + " is missing (deleted); the next entry present is "
                        + row.seq());
                return;
            }
            if (!Objects.equals(row.prevHash(), expectedPrev)) {
                fail(row.seq(), "entry " + row.seq() + " does not chain to "
                        + (row.seq() == chain.baseSeq() + 1 ? "the chain's base" : "entry " + (row.seq() - 1))
                        + ": its prev_hash differs from that entry's hash (entries removed, replaced or reordered)");
                return;
            }
            String recomputed = AuditHashing.hash(row.prevHash(), row.seq(), row.timeMs(), row.actor(), row.action(),
                    row.details());
            if (!recomputed.equals(row.hash())) {
                fail(row.seq(), "entry " + row.seq() + " does not match its hash: its time, actor, action or details"
                        + " were edited, or it was moved from another position");
                return;
            }
            if (AuditFeature.PURGE_ACTION.equals(row.action()) && AuditLog.SYSTEM.equals(row.actor())) {
                lastPurge = row;
            }
            checked++;
            expectedSeq = row.seq() + 1;
            expectedPrev = row.hash();
        }

        AuditVerificationReport finish() {
            if (brokenAt == null) {
                long last = expectedSeq - 1;
                if (last != chain.headSeq() || !expectedPrev.equals(chain.headHash())) {
                    fail(last + 1, last < chain.headSeq()
                            ? "entries " + (last + 1) + ".." + chain.headSeq() + " are missing: the chain ends at "
                                    + last + " but the recorded head is " + chain.headSeq()
                            : "the newest entry " + last + " is not the recorded head " + chain.headSeq()
                                    + " (the head or the newest entries were changed)");
                }
            }
            if (brokenAt == null && chain.baseSeq() > 0) {
                // The base may move only by a purge, which records the new base in its own entry.
                boolean recorded = lastPurge != null
                        && AuditHashing.parseDetails(lastPurge.details()).getOrDefault("throughSeq", "")
                                .equals(Long.toString(chain.baseSeq()))
                        && AuditHashing.parseDetails(lastPurge.details()).getOrDefault("baseHash", "")
                                .equals(chain.baseHash());
                if (!recorded) {
                    fail(chain.baseSeq() + 1, "the chain's base (seq " + chain.baseSeq() + ") is not the one the"
                            + " last audit.purge entry recorded: the oldest entries were removed outside the purge");
                }
            }
            return new AuditVerificationReport(brokenAt == null, checked, chain.baseSeq(), chain.baseHash(),
                    chain.headSeq(), chain.headHash(), brokenAt, problem);
        }

        private void fail(long seq, String why) {
            brokenAt = seq;
            problem = why;
        }
    }
}
