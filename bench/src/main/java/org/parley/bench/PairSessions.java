// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.PreKeyBundles;

/**
 * Real libsignal sessions between the two devices of each pair. The first device fetches the second's
 * bundle from the server (PQXDH), then one message each way is exchanged locally, so that both sides hold
 * a confirmed session and every later ciphertext is a plain {@code signal} message, as in a conversation
 * that is under way (a {@code prekey} message carries about 1.6 KB of Kyber ciphertext).
 */
final class PairSessions {
    private PairSessions() {}

    /** Sets up every pair in parallel; {@code devices} holds the pairs as (0,1), (2,3), … */
    static void establishAll(BenchTarget target, List<SimDevice> devices) {
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i + 1 < devices.size(); i += 2) {
                SimDevice a = devices.get(i);
                SimDevice b = devices.get(i + 1);
                futures.add(pool.submit(() -> {
                    establish(target, a, b);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof BenchException be ? be
                    : new BenchException("setting up a libsignal session failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while setting up sessions", e);
        }
    }

    static void establish(BenchTarget target, SimDevice a, SimDevice b) throws DecryptionException {
        PreKeyBundles bundles = target.api(a.credentials()).bundle(b.accountId(), b.deviceId());
        DeviceBundle bundle = bundles.devices().getFirst();
        byte[] hello = Plaintext.message("hello", System.currentTimeMillis()).encode();
        EncryptedMessage first = withLock(a, () -> {
            SessionCrypto crypto = new SessionCrypto(a.store());
            crypto.startSession(b.accountId(), bundle);
            return crypto.encrypt(b.address(), hello);
        });
        EncryptedMessage reply = withLock(b, () -> {
            SessionCrypto crypto = new SessionCrypto(b.store());
            crypto.decrypt(a.address(), first.type(), first.content());
            return crypto.encrypt(a.address(), hello);
        });
        withLock(a, () -> new SessionCrypto(a.store()).decrypt(b.address(), reply.type(), reply.content()));
    }

    @FunctionalInterface
    interface CryptoWork<T> {
        T run() throws DecryptionException;
    }

    static <T> T withLock(SimDevice device, CryptoWork<T> work) throws DecryptionException {
        device.lock().lock();
        try {
            return work.run();
        } finally {
            device.lock().unlock();
        }
    }
}
