// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.OprfEvaluateRequest;
import org.parley.protocol.OprfEvaluateResponse;
import org.parley.protocol.PrivateLookupBucket;
import org.parley.protocol.PrivateLookupConfig;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;
import org.parley.server.accounts.Accounts;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.LookupMode;
import org.parley.server.directory.LookupQuota;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.RateLimited;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.lookuplog.IpShaping;

/**
 * The private lookup (design: docs/privacy.md, "Private lookup"; wire: docs/protocol.md).
 *
 * <p>The client blinds its handle and asks for an OPRF evaluation ({@link #evaluate}); it unblinds
 * the answer to the handle's OPRF output, whose bucket hash names a bucket it then fetches
 * ({@link #bucket}). The server sees a random-looking point, then a bucket shared by at least
 * {@code lookup.private.min-bucket} handles: never the handle. Each evaluated element costs one
 * distinct lookup of the account's daily quota, so enumeration is as slow as with plain lookups.
 *
 * <h2>Keys</h2>
 * Every key has its own {@link BucketTable}. The newest key is current; the one before stays served
 * for {@code key-overlap} after its successor was made, so a client between evaluate and bucket, or
 * with a cached key id, still finishes. {@link #rotateIfDue} makes and retires keys.
 */
final class PrivateLookup {
    private static final System.Logger LOG = System.getLogger(PrivateLookup.class.getName());
    /** Elements one evaluate request may carry: a contact-list batch, not a dump. */
    static final int MAX_ELEMENTS = 100;

    private final Accounts accounts;
    private final PrivateLookupStore store;
    private final LookupQuota quota;
    private final Clock clock;
    private final SecureRandom random;
    private final LookupMode mode;
    private final LookupLogMode logMode;
    private final int minBucket;
    private final Duration keyLifetime;
    private final Duration keyOverlap;
    private final Oprf oprf = Oprf.p256Sha256();
    /**
     * The handles each account has in the tables (memory only, like the tables): a deleted account's
     * handle is gone from the accounts store by the time we hear of it, so this is how its rows are found.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Set<String>> tabled =
            new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The devices each tabled account had when its entries were computed: {@link #refresh} compares
     * them with the device table to find accounts another node changed.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, List<Accounts.DeviceSlot>> tabledDevices =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Served tables, newest key first; replaced whole on rotation. */
    private volatile List<BucketTable> tables = List.of();
    private final Counter evaluations;
    private final Counter refused;
    private final Timer build;

    PrivateLookup(Accounts accounts, PrivateLookupStore store, LookupQuota quota, Clock clock, SecureRandom random,
                  LookupMode mode, LookupLogMode logMode, int minBucket, Duration keyLifetime, Duration keyOverlap,
                  MeterRegistry meters) {
        this.accounts = accounts;
        this.store = store;
        this.quota = quota;
        this.clock = clock;
        this.random = random;
        this.mode = mode;
        this.logMode = logMode;
        this.minBucket = minBucket;
        this.keyLifetime = keyLifetime;
        this.keyOverlap = keyOverlap;
        this.evaluations = Counter.builder("parley.privatelookup.evaluations")
                .description("Blinded elements evaluated with the OPRF key").register(meters);
        this.refused = Counter.builder("parley.privatelookup.refused")
                .description("Evaluate requests refused by the daily lookup quota").register(meters);
        this.build = Timer.builder("parley.privatelookup.table.build")
                .description("Time to compute one OPRF key's bucket table from every registered handle").register(meters);
    }

    // ---- keys and tables ------------------------------------------------------------------------

    /** Loads the keys (making the first one if there is none), builds their tables and rotates if due. */
    void start() {
        if (store.keys().isEmpty()) {
            store.addKey(newKey(clock.millis()));
        }
        reload();
        rotateIfDue(clock.instant());
    }

    /**
     * Makes a new current key when the current one is {@code key-lifetime} old, and deletes keys whose
     * overlap has passed. Returns how many keys were deleted (the purge job's count).
     */
    synchronized long rotateIfDue(Instant now) {
        List<PrivateLookupStore.OprfKey> keys = store.keys();
        if (!keys.isEmpty() && now.toEpochMilli() - keys.getFirst().createdMs() >= keyLifetime.toMillis()) {
            store.addKey(newKey(now.toEpochMilli()));
            keys = store.keys();
        }
        long deleted = 0;
        for (int i = 1; i < keys.size(); i++) {
            // Key i was replaced when key i-1 (its successor) was made; it is served for the overlap after that.
            if (now.toEpochMilli() >= keys.get(i - 1).createdMs() + keyOverlap.toMillis()) {
                store.deleteKey(keys.get(i).id());
                deleted++;
            }
        }
        reload();
        return deleted;
    }

    /** Makes the served tables match the stored keys, computing a table for each new key. */
    private synchronized void reload() {
        List<BucketTable> next = new ArrayList<>();
        for (PrivateLookupStore.OprfKey key : store.keys()) {
            BucketTable existing = table(key.id());
            next.add(existing != null ? existing : buildTable(key));
        }
        tables = List.copyOf(next);
    }

    /** The OPRF of every registered handle with devices under {@code key}: N scalar multiplications. */
    BucketTable buildTable(PrivateLookupStore.OprfKey key) {
        long started = System.nanoTime();
        BucketTable table = new BucketTable(key, minBucket, random);
        for (Accounts.HandleOwner owner : accounts.handleOwners()) {
            pointer(owner.accountId()).ifPresent(p -> {
                table.putQuietly(owner.handle(), p);
                tabled.computeIfAbsent(owner.accountId(), a -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                        .add(owner.handle());
                tabledDevices.put(owner.accountId(), slots(p));
            });
        }
        table.rebalance();
        long nanos = System.nanoTime() - started;
        build.record(Duration.ofNanos(nanos));
        // Counts and the key id only: what a rotation costs, never which handles.
        LOG.log(System.Logger.Level.INFO, "private lookup: bucket table for OPRF key " + key.id() + " built: "
                + table.size() + " handles, prefix " + table.prefixBits() + " bits, in " + nanos / 1_000_000 + " ms");
        return table;
    }

    /** After a registration: the account's handles get fresh entries (new devices) in every table. */
    void accountChanged(String accountId) {
        var pointer = pointer(accountId);
        java.util.Set<String> current = pointer.isPresent() ? java.util.Set.copyOf(accounts.handlesOf(accountId))
                : java.util.Set.of();
        java.util.Set<String> before = tabled.getOrDefault(accountId, java.util.Set.of());
        for (String gone : before) {
            if (!current.contains(gone)) {
                tables.forEach(t -> t.remove(gone));
            }
        }
        for (String handle : current) {
            tables.forEach(t -> t.put(handle, pointer.get()));
        }
        if (current.isEmpty()) {
            tabled.remove(accountId);
            tabledDevices.remove(accountId);
        } else {
            java.util.Set<String> set = java.util.concurrent.ConcurrentHashMap.newKeySet();
            set.addAll(current);
            tabled.put(accountId, set);
            tabledDevices.put(accountId, slots(pointer.get()));
        }
    }

    /**
     * Brings the tables up to date with changes this node was not told of: registrations, device links
     * and removals, and deletions made through another node sharing the database (PostgreSQL). One read
     * of the handle and device tables; OPRF work only for the accounts that differ.
     *
     * @return how many accounts were recomputed
     */
    int refresh() {
        java.util.Map<String, java.util.Set<String>> handles = new java.util.HashMap<>();
        for (Accounts.HandleOwner owner : accounts.handleOwners()) {
            handles.computeIfAbsent(owner.accountId(), a -> new java.util.HashSet<>()).add(owner.handle());
        }
        java.util.Map<String, List<Accounts.DeviceSlot>> devices = accounts.deviceSlots();
        java.util.Set<String> ids = new java.util.HashSet<>(handles.keySet());
        ids.addAll(tabled.keySet());
        int changed = 0;
        for (String id : ids) {
            List<Accounts.DeviceSlot> now = devices.getOrDefault(id, List.of());
            java.util.Set<String> nowHandles = now.isEmpty() ? java.util.Set.of() : handles.getOrDefault(id, java.util.Set.of());
            java.util.Set<String> before = tabled.getOrDefault(id, java.util.Set.of());
            if (!nowHandles.equals(before) || (!now.isEmpty() && !now.equals(tabledDevices.get(id)))) {
                accountChanged(id);
                changed++;
            }
        }
        return changed;
    }

    private static List<Accounts.DeviceSlot> slots(PrivateLookupKeys.Pointer pointer) {
        return pointer.devices().stream().map(d -> new Accounts.DeviceSlot(d.deviceId(), d.registrationId())).toList();
    }

    private java.util.Optional<PrivateLookupKeys.Pointer> pointer(String accountId) {
        List<DeviceInfo> devices = accounts.devices(accountId).stream()
                .map(d -> new DeviceInfo(d.deviceId(), d.registrationId())).toList();
        return devices.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new PrivateLookupKeys.Pointer(accountId, devices));
    }

    private PrivateLookupStore.OprfKey newKey(long nowMs) {
        byte[] id = new byte[4];
        random.nextBytes(id);
        return new PrivateLookupStore.OprfKey(HexFormat.of().formatHex(id), oprf.randomScalar(random), nowMs);
    }

    private BucketTable table(String keyId) {
        for (BucketTable t : tables) {
            if (t.keyId().equals(keyId)) {
                return t;
            }
        }
        return null;
    }

    private BucketTable served(String keyId) {
        List<BucketTable> now = tables;
        if (keyId == null || keyId.isEmpty()) {
            return now.getFirst();
        }
        BucketTable t = table(keyId);
        if (t == null) {
            throw new NotFound("no OPRF key " + keyId + " is served (it was rotated out); fetch"
                    + " GET /v1/private-lookup/config and evaluate again");
        }
        return t;
    }

    // ---- requests -------------------------------------------------------------------------------

    PrivateLookupConfig config() {
        List<BucketTable> now = tables;
        return new PrivateLookupConfig(mode.wire(), "P256-SHA256", now.getFirst().keyId(),
                now.stream().map(BucketTable::keyId).toList(), now.getFirst().prefixBits(), minBucket);
    }

    /**
     * Evaluates the blinded elements under the named key (or the current one).
     *
     * @throws RateLimited when the elements do not fit the account's daily lookup quota
     */
    OprfEvaluateResponse evaluate(AuthenticatedDevice requester, OprfEvaluateRequest request) {
        requirePrivateMode();
        List<String> elements = request.blindedElements();
        if (elements == null || elements.isEmpty() || elements.size() > MAX_ELEMENTS) {
            throw new InvalidRequest("blindedElements must hold 1.." + MAX_ELEMENTS + " elements");
        }
        BucketTable table = served(request.keyId());
        List<byte[]> decoded = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            decoded.add(decode(elements.get(i), "blindedElements[" + i + "]"));
        }
        Instant now = clock.instant();
        // Each blinded element is fresh randomness, so each counts as a new distinct lookup: one guess,
        // one unit of the same daily budget plain lookups spend.
        if (!quota.tryAcquire(requester.accountId(), elements, now)) {
            refused.increment();
            throw new RateLimited("this account has made its daily number of distinct lookups (each private"
                    + " lookup counts as a new one); more are accepted again after midnight UTC",
                    Duration.ofSeconds(secondsToNextUtcMidnight(now)));
        }
        BigInteger secret = table.secret();
        List<String> out = new ArrayList<>(decoded.size());
        for (int i = 0; i < decoded.size(); i++) {
            try {
                out.add(Base64.getEncoder().encodeToString(oprf.blindEvaluate(secret, decoded.get(i))));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest("blindedElements[" + i + "] is not a valid P-256 point (33-byte compressed SEC1)");
            }
        }
        evaluations.increment(out.size());
        return new OprfEvaluateResponse(table.keyId(), out, table.prefixBits());
    }

    /**
     * The bucket {@code prefix} of {@code bits} under {@code keyId}, and its log entry. More bits than
     * the table's prefix are cut to it (the bucket asked for is inside the one served).
     */
    PrivateLookupBucket bucket(AuthenticatedDevice requester, String keyId, int bits, long prefix, InetAddress client) {
        requirePrivateMode();
        if (bits < 0 || bits > BucketTable.MAX_PREFIX_BITS || prefix < 0 || prefix >= (1L << bits)) {
            throw new InvalidRequest("the bucket is prefixBits (0.." + BucketTable.MAX_PREFIX_BITS
                    + ") and a prefix below 2^prefixBits");
        }
        BucketTable table = served(keyId);
        int served = Math.min(bits, table.prefixBits());
        int servedPrefix = (int) (prefix >>> (bits - served));
        if (logMode != LookupLogMode.OFF) {
            store.appendLog(new PrivateLookupStore.LogRow(clock.millis(), requester.accountId(), requester.deviceId(),
                    table.keyId(), served, servedPrefix, IpShaping.shape(client, logMode)));
        }
        Base64.Encoder b64 = Base64.getEncoder();
        List<PrivateLookupBucket.Entry> entries = table.bucket(served, servedPrefix).stream()
                .map(r -> new PrivateLookupBucket.Entry(b64.encodeToString(r.tag()), b64.encodeToString(r.pointer())))
                .toList();
        return new PrivateLookupBucket(table.keyId(), served, servedPrefix, entries);
    }

    private void requirePrivateMode() {
        if (!mode.privateAllowed()) {
            throw new Forbidden("private_lookup_disabled", "this server answers only plain lookups (lookup.mode: plain):"
                    + " use GET /v1/directory/{handle} or POST /v1/directory/lookup");
        }
    }

    private static byte[] decode(String b64, String where) {
        try {
            return Base64.getDecoder().decode(b64 == null ? "" : b64);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(where + " is not base64");
        }
    }

    private static long secondsToNextUtcMidnight(Instant now) {
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Duration left = Duration.between(now, midnight);
        return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
    }

    /** Current tables, newest first (tests, bench). */
    List<BucketTable> tables() {
        return tables;
    }
}
