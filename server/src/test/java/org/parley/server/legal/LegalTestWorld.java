// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.parley.protocol.Route;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.AccountsFeature;
import org.parley.server.keys.KeysFeature;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;
import org.parley.testing.TestClock;
import org.parley.server.testing.StorageBackend;

/**
 * The real accounts and lookup-log features and the legal store on a real database (SQLite unless a
 * {@link StorageBackend} is named), with a
 * hand-moved clock and the real purge scheduler. Accounts are inserted as rows (registration with
 * keys is not what these tests are about); everything is read back through the real stores.
 */
final class LegalTestWorld implements AutoCloseable {
    static final Instant START = Instant.parse("2026-07-01T00:00:00Z");

    final TestClock clock = new TestClock(START);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Database database;
    final ServerContext ctx;
    final AccountsFeature accounts;
    final LookupLog log;
    final JdbcLegalStore legal;

    LegalTestWorld(Path dir, UnaryOperator<ServerConfig> configure) {
        this(dir, StorageBackend.SQLITE, configure);
    }

    /** The same world on a fresh, fully migrated database of {@code backend}. */
    LegalTestWorld(Path dir, StorageBackend backend, UnaryOperator<ServerConfig> configure) {
        ServerConfig config = configure.apply(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir));
        database = backend.open(dir);
        ctx = new ServerContext(config, database, clock, new SecureRandom(), meters, new ClientAddresses(List.of()),
                new PurgeScheduler(clock, meters));
        accounts = AccountsFeature.create(ctx, (handle, code) -> { }, KeysFeature.deviceKeys(database),
                MessagesFeature.store(database));
        log = LookupLogFeature.create(ctx, accounts.accounts()).log();
        legal = new JdbcLegalStore(database);
    }

    LegalTestWorld(Path dir) {
        this(dir, UnaryOperator.identity());
    }

    /** An account with {@code handle}, created at {@code createdAt}, with one device last seen that day. */
    void account(String accountId, String handle, Instant createdAt) {
        long ms = createdAt.toEpochMilli();
        database.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts (account_id, created_at) VALUES (?, ?)")) {
                s.setString(1, accountId);
                s.setLong(2, ms);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO handles (handle, account_id, created_at) VALUES (?, ?, ?)")) {
                s.setString(1, handle);
                s.setString(2, accountId);
                s.setLong(3, ms);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO devices (account_id, device_id, registration_id,"
                    + " password_salt, password_hash, identity_key, created_at, last_seen_day) VALUES (?, 1, 7, ?, ?, ?, ?, ?)")) {
                s.setString(1, accountId);
                s.setBytes(2, new byte[] {0});
                s.setBytes(3, new byte[] {0});
                s.setBytes(4, new byte[] {5});
                s.setLong(5, ms);
                s.setLong(6, Math.floorDiv(ms, 86_400_000L));
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Records one lookup at {@code at} through the real lookup log. */
    void lookup(Instant at, String requesterAccountId, String queriedHandle) {
        clock.set(at);
        try {
            log.record(List.of(new LookupLog.Entry(requesterAccountId, 1, queriedHandle, Route.PARLEY,
                    InetAddress.getByName("203.0.113.9"))));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Every lookup-log entry still stored. */
    List<LookupLog.LoggedLookup> stored() {
        return log.query(new LookupLog.Query(null, null, null, null, LookupLog.MAX_LIMIT));
    }

    @Override
    public void close() {
        ctx.purges().close();
        accounts.close();
        database.close();
    }
}
