// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.error.ParleyException;
import org.parley.client.crypto.KeyGenerator;
import org.parley.client.crypto.NewDeviceKeys;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.VerificationSessionResponse;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Registers simulated devices through the normal API: verification session, the development code read
 * from the data directory, account creation. Handles are fresh per run
 * ({@code bench-<run>-<role><i>@example.org}) because a handle may start only a few verification sessions
 * per hour. Registrations run in parallel on virtual threads; this is set-up, never measured.
 *
 * <p>No one-time prekeys are uploaded: a session starts from the signed prekey and the Kyber last-resort
 * key, which is all a bundle needs.
 */
final class DeviceRegistrar {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BenchTarget target;
    private final DevCodes codes;
    private final String run;
    private final AtomicInteger nextIndex = new AtomicInteger();

    DeviceRegistrar(BenchTarget target) {
        this.target = target;
        this.codes = new DevCodes(target.dataDir());
        byte[] id = new byte[4];
        RANDOM.nextBytes(id);
        this.run = HexFormat.of().formatHex(id);
    }

    /** The random id of this run, part of every handle. */
    String run() {
        return run;
    }

    /**
     * Registers {@code count} devices.
     *
     * @param withCrypto true: each device gets its own keys and an in-memory libsignal store, so it can
     *                   set up sessions; false: all share one key set and have no store (cheap, for
     *                   lookups and idle connections)
     */
    List<SimDevice> register(int count, String role, boolean withCrypto, int concurrency) {
        NewDeviceKeys shared = withCrypto ? null : new KeyGenerator().newDevice(1, 1);
        Semaphore permits = new Semaphore(Math.max(1, concurrency));
        List<Future<SimDevice>> futures = new ArrayList<>(count);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = nextIndex.getAndIncrement();
                String handle = "bench-" + run + "-" + role + index + "@example.org";
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return registerOne(index, handle, shared);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<SimDevice> devices = new ArrayList<>(count);
            for (Future<SimDevice> f : futures) {
                devices.add(f.get());
            }
            return devices;
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof BenchException be) {
                throw be;
            }
            throw new BenchException("registering simulated devices failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while registering devices", e);
        }
    }

    /**
     * Calls {@code call} again after the server's {@code Retry-After} while it answers 429 because its
     * database is saturated (a loaded PostgreSQL pool): set-up is slowed, not failed. Other 429s (the
     * verification code limits) are errors of the run and are not retried.
     */
    private static <T> T whenNotBusy(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (org.parley.client.error.ParleyApiException e) {
                if (e.status() != 429 || !e.serverMessage().startsWith("the server is busy") || attempt == 30) {
                    throw e;
                }
                RelayEngine.sleepUntil(System.nanoTime() + 1_000_000_000L * e.retryAfterSeconds().orElse(1L));
            }
        }
    }

    private SimDevice registerOne(int index, String handle, NewDeviceKeys shared) {
        NewDeviceKeys keys = shared != null ? shared : new KeyGenerator().newDevice(1, 1);
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = Base64.getEncoder().encodeToString(secret);
        ParleyApi anonymous = target.api(null);
        try {
            VerificationSessionResponse session = whenNotBusy(() -> anonymous.startVerification(handle));
            String code = codes.await(session.handle());
            RegistrationResponse created = whenNotBusy(() -> anonymous.register(new RegistrationRequest(session.sessionId(), code,
                    PreKeyManager.registration(keys, password))));
            InMemorySignalProtocolStore store = null;
            if (shared == null) {
                store = new InMemorySignalProtocolStore(keys.identityKeyPair(), keys.registrationId());
                store.storeSignedPreKey(keys.signedPreKey().getId(), keys.signedPreKey());
                store.storeKyberPreKey(keys.lastResortKyberPreKey().getId(), keys.lastResortKyberPreKey());
            }
            return new SimDevice(index, created.handle(),
                    new DeviceCredentials(created.accountId(), created.deviceId(), password), keys.registrationId(), store);
        } catch (ParleyException e) {
            throw new BenchException("registering a simulated device failed: " + e.getMessage(), e);
        }
    }
}
