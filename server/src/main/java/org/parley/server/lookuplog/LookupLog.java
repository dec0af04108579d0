// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.parley.protocol.Route;

/**
 * The capability-lookup log: who asked about which handle, when, what the answer was and (per
 * {@code lookup-log.mode}) from which address. It is the one place the server keeps handles and
 * IPs together on purpose, for the published retention only.
 */
public interface LookupLog {
    /** Largest page the operator query returns. */
    int MAX_LIMIT = 10_000;
    /** Page size when the operator gives none. */
    int DEFAULT_LIMIT = 1_000;

    /**
     * Appends one entry per element, all stamped with the current time of the server clock. The
     * client address is shaped by the configured mode (full, truncated to its network, dropped);
     * in mode {@code off} nothing at all is written.
     *
     * <p>Returns once the entries are handed to the log's appender, normally before they are
     * committed: they gather for up to 20 ms and commit together, and never more than 100 ms (or 10,000 entries)
     * behind, because beyond that, or after a failed write, this waits for the commit (and throws if it fails).
     * A crash can therefore lose the entries of the lookups answered just before it; a shutdown
     * commits them all. See docs/privacy.md.
     */
    void record(List<Entry> entries);

    /** Returns once every entry recorded before the call is committed. {@link #query} and {@link #madeBy} do this first. */
    void flush();

    /**
     * The entries matching {@code query}, both kinds, in {@link #ORDER} (oldest first). A requester
     * handle that belongs to no account matches nothing. A queried-handle filter matches plain
     * lookups only: a private lookup never tells the server the handle, so none can be found by it.
     */
    List<LoggedLookup> query(Query query);

    /**
     * The lookups {@code requesterAccountId} made at or after {@code since}, both kinds, in
     * {@link #ORDER}, at most {@code limit}: the account owner's own copy. Lookups of the account's
     * handles are not included.
     */
    List<LoggedLookup> madeBy(String requesterAccountId, Instant since, int limit);

    /**
     * Deletes the lookups {@code requesterAccountId} made (both kinds), once the account is deleted, except the
     * entries an active preservation hold keeps (they then go with the retention purge once the hold
     * ends). Lookups of the account's handle by others stay until the retention: they are the
     * records of the accounts that made them.
     */
    void forgetLookupsBy(String requesterAccountId);

    /**
     * One lookup to record.
     *
     * @param queriedHandle the normalised handle that was looked up
     * @param clientAddress the requesting client's address; may be null when unknown
     */
    record Entry(String requesterAccountId, int requesterDeviceId, String queriedHandle, Route route,
                 InetAddress clientAddress) {
        public Entry {
            Objects.requireNonNull(requesterAccountId, "requesterAccountId");
            Objects.requireNonNull(queriedHandle, "queriedHandle");
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * An operator's filter. Null fields do not filter.
     *
     * @param queriedHandle   normalised queried handle
     * @param requesterHandle normalised handle of the requesting account
     * @param since           inclusive lower bound on the entry time
     * @param until           exclusive upper bound on the entry time
     * @param limit           1..{@link #MAX_LIMIT}
     */
    record Query(String queriedHandle, String requesterHandle, Instant since, Instant until, int limit) {
        public Query {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", was " + limit);
            }
        }

        /** Everything, up to the default page size. */
        public static Query all() {
            return new Query(null, null, null, null, DEFAULT_LIMIT);
        }
    }

    /**
     * A stored entry. {@code clientIp} is the text as stored: full, network only, or null.
     *
     * <p>A plain lookup has {@code queriedHandle} and {@code route} and no {@code bucket}. A private
     * lookup's entry is a bucket fetch: {@code bucket} is set and {@code queriedHandle} and {@code route}
     * are null, because the server never learns the handle nor the answer. Ids are per kind: (kind, id)
     * names an entry.
     */
    record LoggedLookup(long id, long timeMs, String requesterAccountId, int requesterDeviceId,
                        String queriedHandle, Route route, String clientIp, Bucket bucket) {
        /** A plain lookup's entry. */
        public LoggedLookup(long id, long timeMs, String requesterAccountId, int requesterDeviceId,
                            String queriedHandle, Route route, String clientIp) {
            this(id, timeMs, requesterAccountId, requesterDeviceId, queriedHandle, route, clientIp, null);
        }

        /** A private lookup's bucket fetch. */
        public static LoggedLookup bucketFetch(long id, long timeMs, String requesterAccountId, int requesterDeviceId,
                                               String clientIp, Bucket bucket) {
            return new LoggedLookup(id, timeMs, requesterAccountId, requesterDeviceId, null, null, clientIp,
                    Objects.requireNonNull(bucket, "bucket"));
        }

        public Kind kind() {
            return bucket == null ? Kind.PLAIN : Kind.PRIVATE;
        }

        /** Unique across both kinds: {@code plain:12}, {@code private:12}. */
        public String key() {
            return kind().wire() + ":" + id;
        }
    }

    /** Which lookup an entry records. */
    enum Kind {
        /** A plain lookup: the handle was sent and is recorded. */
        PLAIN("plain"),
        /** A private lookup's bucket fetch: the handle was never sent, only the bucket is recorded. */
        PRIVATE("private");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * The bucket a private lookup fetched: OPRF key id, prefix length in bits and the prefix. It names
     * a set of registered handles (at least {@code lookup.private.min-bucket}), never one handle.
     */
    record Bucket(String keyId, int prefixBits, int prefix) {
        public Bucket {
            Objects.requireNonNull(keyId, "keyId");
        }
    }

    /** Entries of both kinds in one order: time, then plain before private, then id. */
    java.util.Comparator<LoggedLookup> ORDER = java.util.Comparator.comparingLong(LoggedLookup::timeMs)
            .thenComparing(LoggedLookup::kind).thenComparingLong(LoggedLookup::id);
}
