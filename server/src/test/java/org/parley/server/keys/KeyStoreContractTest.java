// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKey;
import org.parley.protocol.PreKeyCounts;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;

/** The {@link KeyStore} contract on every backend; above all, a one-time prekey goes to one fetcher only. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class KeyStoreContractTest {
    private static final String BOB = "11111111-1111-4111-8111-111111111111";

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcKeyStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcKeyStore(db);
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO accounts(account_id, created_at) VALUES (?, 1)")) {
                p.setString(1, BOB);
                p.executeUpdate();
            }
            for (int device = 1; device <= 2; device++) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO devices(account_id, device_id, registration_id,"
                        + " password_salt, password_hash, identity_key, created_at, last_seen_day) VALUES (?, ?, ?, ?, ?, ?, 1, 1)")) {
                    p.setString(1, BOB);
                    p.setInt(2, device);
                    p.setInt(3, 100 + device);
                    p.setBytes(4, new byte[] {1});
                    p.setBytes(5, new byte[] {2});
                    p.setBytes(6, new byte[] {3, (byte) device});
                    p.executeUpdate();
                }
                // Joins this write, as inside registration.
                store.storeInitialKeys(BOB, device, signed(1), signed(2));
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static final int CAP = 200;

    @Test
    void upload_pastTheCap_writesNothing() {
        uploadOneTimeKeys(1, 0, 100);
        uploadOneTimeKeys(1, 100, 100);
        List<PreKey> one = List.of(preKey(250));
        assertEquals(KeyStore.UploadResult.OVER_CAP, store.upload(BOB, 1, new KeyUploadRequest(one, List.of(), null, null), CAP));
        assertEquals(new PreKeyCounts(200, 200), store.counts(BOB, 1));
    }

    private static SignedPreKey signed(int id) {
        return new SignedPreKey(id, new byte[] {(byte) id, 1}, new byte[] {(byte) id, 2});
    }

    private static PreKey preKey(int id) {
        return new PreKey(id, new byte[] {(byte) id, 3});
    }

    private static List<DeviceRecord> devices(int... ids) {
        return IntStream.of(ids).mapToObj(id -> new DeviceRecord(id, 100 + id, new byte[] {3, (byte) id})).toList();
    }

    private void uploadOneTimeKeys(int device, int from, int count) {
        List<PreKey> ec = IntStream.range(from, from + count).mapToObj(KeyStoreContractTest::preKey).toList();
        List<SignedPreKey> kyber = IntStream.range(from, from + count).mapToObj(KeyStoreContractTest::signed).toList();
        assertEquals(KeyStore.UploadResult.STORED, store.upload(BOB, device, new KeyUploadRequest(ec, kyber, null, null), CAP));
    }

    @Test
    void upload_thenCounts_seeTheKeysAndReuploadReplacesByKeyId() {
        uploadOneTimeKeys(1, 10, 5);
        uploadOneTimeKeys(1, 12, 5);
        assertEquals(new PreKeyCounts(7, 7), store.counts(BOB, 1));
        assertEquals(new PreKeyCounts(0, 0), store.counts(BOB, 2));
    }

    @Test
    void upload_forAMissingDevice_writesNothing() {
        assertEquals(KeyStore.UploadResult.NO_DEVICE, store.upload(BOB, 9, new KeyUploadRequest(List.of(preKey(1)), List.of(), null, null), CAP));
        assertEquals(new PreKeyCounts(0, 0), store.counts(BOB, 9));
    }

    @Test
    void upload_signedPreKeys_replaceTheCurrentOnes() {
        store.upload(BOB, 1, new KeyUploadRequest(List.of(), List.of(), signed(30), signed(31)), CAP);
        DeviceBundle bundle = store.takeBundles(BOB, devices(1)).get(0).bundle();
        assertEquals(30, bundle.signedPreKey().keyId());
        assertEquals(31, bundle.pqPreKey().keyId());
    }

    @Test
    void takeBundles_consumesTheLowestOneTimeKeysThenFallsBackToLastResort() {
        uploadOneTimeKeys(1, 10, 2);
        KeyStore.FetchedBundle first = store.takeBundles(BOB, devices(1)).get(0);
        assertEquals(10, first.bundle().preKey().keyId());
        assertArrayEquals(preKey(10).publicKey(), first.bundle().preKey().publicKey());
        assertEquals(10, first.bundle().pqPreKey().keyId());
        assertArrayEquals(signed(10).signature(), first.bundle().pqPreKey().signature());
        assertFalse(first.lastResort());
        assertEquals(11, store.takeBundles(BOB, devices(1)).get(0).bundle().preKey().keyId());

        KeyStore.FetchedBundle exhausted = store.takeBundles(BOB, devices(1)).get(0);
        assertNull(exhausted.bundle().preKey());
        assertEquals(2, exhausted.bundle().pqPreKey().keyId(), "the last-resort Kyber key");
        assertTrue(exhausted.lastResort());
        assertEquals(new PreKeyCounts(0, 0), store.counts(BOB, 1));
    }

    @Test
    void takeBundles_oneBundlePerDeviceWithSignedKeys() {
        uploadOneTimeKeys(2, 1, 1);
        List<KeyStore.FetchedBundle> bundles = store.takeBundles(BOB, devices(1, 2, 3));
        assertEquals(List.of(1, 2), bundles.stream().map(b -> b.bundle().deviceId()).toList());
        assertEquals(102, bundles.get(1).bundle().registrationId());
    }

    /**
     * As many concurrent fetches as keys: each must get a key of its own. A fetch that waited for
     * another's key and then came back empty-handed while keys were left would wrongly fall back
     * to the last-resort key.
     */
    @Test
    void takeBundles_concurrentFetches_eachGetADifferentKey() throws Exception {
        int fetchers = 8;
        int fetchesEach = 5;
        int keys = fetchers * fetchesEach;
        uploadOneTimeKeys(1, 1, keys);
        CountDownLatch start = new CountDownLatch(1);
        List<DeviceBundle> bundles = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(fetchers)) {
            List<Future<List<DeviceBundle>>> futures = new ArrayList<>();
            for (int f = 0; f < fetchers; f++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<DeviceBundle> mine = new ArrayList<>();
                    for (int i = 0; i < fetchesEach; i++) {
                        mine.add(store.takeBundles(BOB, devices(1)).get(0).bundle());
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<DeviceBundle>> f : futures) {
                bundles.addAll(f.get(120, TimeUnit.SECONDS));
            }
        }
        assertTrue(bundles.stream().allMatch(b -> b.preKey() != null), "a fetch got no one-time EC key while keys were left");
        Set<Integer> ec = new HashSet<>(bundles.stream().map(b -> b.preKey().keyId()).toList());
        Set<Integer> kyber = new HashSet<>(bundles.stream().map(b -> b.pqPreKey().keyId()).toList());
        assertEquals(keys, ec.size(), "a one-time EC key was handed out twice");
        assertEquals(keys, kyber.size(), "a one-time Kyber key was handed out twice, or the last-resort key came too early");
        assertEquals(new PreKeyCounts(0, 0), store.counts(BOB, 1));
    }

    @Test
    void deleteAccountKeys_removesEveryDevicesKeys() {
        uploadOneTimeKeys(1, 1, 3);
        uploadOneTimeKeys(2, 1, 3);
        store.deleteAccountKeys(BOB);
        assertEquals(new PreKeyCounts(0, 0), store.counts(BOB, 1));
        assertTrue(store.takeBundles(BOB, devices(1, 2)).isEmpty(), "no signed prekeys left either");
    }
}
