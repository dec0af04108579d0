// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.parley.protocol.Route;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.AccountsFeature;
import org.parley.server.config.LookupLogMode;
import org.parley.server.keys.KeysFeature;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.messages.MessagesFeature;

/**
 * One capability lookup of a registered handle, as the directory answers it minus HTTP and the daily
 * quota: {@link Accounts#accountIdOf} and {@link Accounts#devices} (from {@link AccountsFeature}), then
 * one {@link LookupLog#record} entry (from {@link LookupLogFeature}) committed before returning.
 * {@code mode} is {@code lookup-log.mode}: {@code full} writes the row, {@code off} writes nothing, so
 * the difference is the price of the log. The database uses the default {@code synchronous=FULL}.
 *
 * <p>{@value #ACCOUNTS} accounts (one device each) are inserted with SQL, row for row what a
 * registration writes, because registering through the API takes a verification round trip per
 * account. Each thread looks up the handles in turn from its own starting point; the log grows as it
 * would under a lookup storm. {@code lookupContended} runs 8 threads at once, whose log writes share
 * commits (group commit). Scores are lookups per second over all threads.
 *
 * <pre>{@code
 * bench/jmh LookupBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LookupBenchmark {
    static final int ACCOUNTS = 10_000;

    @Param({"full", "off"})
    String mode;

    private ServerFixture fixture;
    private Accounts accounts;
    private LookupLogFeature logFeature;
    private LookupLog log;
    private List<String> handles;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = ServerFixture.open("FULL", LookupLogMode.parse(mode));
        try {
            handles = register(fixture, ACCOUNTS);
            accounts = AccountsFeature.create(fixture.ctx(), (handle, code) -> {
                throw new IllegalStateException("the benchmark sends no verification codes");
            }, KeysFeature.deviceKeys(fixture.ctx().database()), MessagesFeature.store(fixture.ctx())).accounts();
            logFeature = LookupLogFeature.create(fixture.ctx(), accounts);
            log = logFeature.log();
        } catch (RuntimeException e) {
            fixture.close(); // JMH skips the teardown of a failed setup
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (logFeature != null) {
            logFeature.close(); // its appender commits what is queued before the database closes
        }
        fixture.close();
    }

    /** Inserts {@code count} accounts with one handle and one device each; returns their handles. */
    private static List<String> register(ServerFixture fixture, int count) {
        List<String> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            handles.add(String.format("+1202555%04d", i));
        }
        SplittableRandom random = new SplittableRandom(7);
        long now = System.currentTimeMillis();
        fixture.database().write(c -> {
            try (PreparedStatement account = c.prepareStatement("INSERT INTO accounts(account_id, created_at) VALUES (?, ?)");
                    PreparedStatement handle = c.prepareStatement(
                            "INSERT INTO handles(handle, account_id, created_at) VALUES (?, ?, ?)");
                    PreparedStatement device = c.prepareStatement("""
                            INSERT INTO devices(account_id, device_id, registration_id, password_salt, password_hash,
                                                identity_key, created_at, last_seen_day)
                            VALUES (?, 1, ?, ?, ?, ?, ?, ?)""")) {
                for (String h : handles) {
                    String accountId = UUID.randomUUID().toString();
                    account.setString(1, accountId);
                    account.setLong(2, now);
                    account.executeUpdate();
                    handle.setString(1, h);
                    handle.setString(2, accountId);
                    handle.setLong(3, now);
                    handle.executeUpdate();
                    device.setString(1, accountId);
                    device.setInt(2, 1 + random.nextInt(0x3FFE));
                    device.setBytes(3, bytes(random, 16));
                    device.setBytes(4, bytes(random, 32));
                    device.setBytes(5, bytes(random, 33));
                    device.setLong(6, now);
                    device.setLong(7, Math.floorDiv(now, 86_400_000L));
                    device.executeUpdate();
                }
            }
            return null;
        });
        return List.copyOf(handles);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** One requesting device: its account, its address, and where it is in the list of handles. */
    @State(Scope.Thread)
    public static class Requester {
        String accountId;
        InetAddress address;
        int next;

        @Setup(Level.Trial)
        public void setUp(LookupBenchmark benchmark) throws UnknownHostException {
            SplittableRandom random = new SplittableRandom();
            next = random.nextInt(ACCOUNTS);
            accountId = benchmark.accounts.accountIdOf(benchmark.handles.get(random.nextInt(ACCOUNTS))).orElseThrow();
            address = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, (byte) random.nextInt(1, 255)});
        }

        String nextHandle(List<String> handles) {
            String h = handles.get(next);
            next = next + 1 == handles.size() ? 0 : next + 1;
            return h;
        }
    }

    @Benchmark
    public List<Accounts.DeviceRecord> lookup(Requester requester) {
        String handle = requester.nextHandle(handles);
        Optional<String> accountId = accounts.accountIdOf(handle);
        List<Accounts.DeviceRecord> devices = accounts.devices(accountId.orElseThrow());
        log.record(List.of(new LookupLog.Entry(requester.accountId, 1, handle, Route.PARLEY, requester.address)));
        return devices;
    }

    @Benchmark
    @Threads(8)
    public List<Accounts.DeviceRecord> lookupContended(Requester requester) {
        return lookup(requester);
    }
}
